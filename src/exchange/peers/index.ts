/** Peer registries: configuration, trust policy, and the follower that applies their ledgers to ours. */
export * from './directory.ts';
export * from './follow.ts';
export * from './mapping.ts';
export * from './policy.ts';
