export * from './envelope';
export * from './tokens';
export * from './token-pepper';
export * from './ssrf';
