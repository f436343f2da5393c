export * from './catalogue';
export * from './gateway-error';
