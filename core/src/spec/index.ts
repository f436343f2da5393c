export * from './chat';
export * from './stream';
export * from './adapter';
export * from './store';
export * from './plugin';
