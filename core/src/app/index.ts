export * from './gateway';
export * from './options';
export * from './serve';
export * from './module-loader';
export * from './config-validators';
