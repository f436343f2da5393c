export { O200kTokenCounter } from './counter';
export { o200kRankTable, buildO200kRankTable, o200kRankFilePath } from './o200k-ranks';
export { RankTable } from './rank-table';
