export * from './verify';
export * from './export';
