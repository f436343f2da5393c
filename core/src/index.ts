export * from './spec';
export * from './errors';
export * from './security';
export * from './upstream';
