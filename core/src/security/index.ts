export * from './envelope';
export * from './tokens';
