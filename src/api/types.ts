// ModelArts resource types, with the wire's field names (snake_case) so a body and its type read alike.
// Parsers fill these from untrusted JSON; anything the API may leave out is optional. One file per resource
// under types/, imported from here.

export * from './types/common';
export * from './types/workspaces';
export * from './types/training';
export * from './types/notebooks';
export * from './types/workflows';
export * from './types/apps';
