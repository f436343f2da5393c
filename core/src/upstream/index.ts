export * from './sse-decoder';
