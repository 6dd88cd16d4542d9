/** A command line that cannot be run as typed: the message says what to type instead. */
export class UsageError extends Error {}
