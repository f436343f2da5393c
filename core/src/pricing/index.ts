export { createPriceTable, InvalidPriceError } from './price-table';
export { DEFAULT_PRICES, PROVIDER_PRICE_FALLBACKS } from './default-prices';
export { modelIdCandidates, stripDateSuffix, stripBedrockGeoPrefix } from './model-id';
