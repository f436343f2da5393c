export * from './sse-decoder';
export * from './transport';
