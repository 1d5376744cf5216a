/**
 * Options every AWS SDK client of the functions and of the local stack gets. `cacheMiddleware`
 * resolves a command's middleware stack once per command class instead of on every call (about a
 * quarter of the SDK's own CPU per DynamoDB call, measured locally); nothing here adds middleware
 * after a client's first call, which is the one thing that option forbids.
 */
export const SDK_OPTIONS = { cacheMiddleware: true } as const;
