export * from './sse-decoder';
export * from './transport';
export * from './guarded-post';
