export * from './adapter-contract';
export * from './mock-scenarios';
export * from './mock-http';
