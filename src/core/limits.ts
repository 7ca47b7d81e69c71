// Bounds on the waits a user may ask for, shared by the settings and the command line. Node's
// timers hold at most 2^31−1 ms and fire after 1 ms when given more, so a wait is never passed on
// unchecked; these caps are far below that and still generous.

/** One DNS reply (`--timeout`, `mailDns.timeoutMs`): each query is tried 3 times, so a minute is plenty. */
export const MAX_DNS_TIMEOUT_MS = 60_000;

/** One SMTP wait (`--smtp-timeout`, `mailDns.smtp.timeoutMs`): greeting delays of minutes are real (RFC 5321 §4.5.3.2). */
export const MAX_SMTP_TIMEOUT_MS = 600_000;
