// Bounces built for the tests: a minimal RFC 3464 delivery report (multipart/report with a text
// part, a message/delivery-status part and the returned message) around per-recipient fields.
// Shared by the explainer's tests so that each builds its messages the same way.

export interface DsnOptions {
  notification: string;
  recipients: string[];
  returned?: string;
  returnedType?: string;
  notificationHeaders?: string;
}

/** A multipart/report; report-type=delivery-status message (RFC 3464, RFC 6522) from mx.example.net to alice@example.com. */
export function dsn(opts: DsnOptions): string {
  const b = 'BOUNDARY.1/mx.example.net';
  return [
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    'To: alice@example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    `--${b}`,
    opts.notificationHeaders ?? 'Content-Type: text/plain; charset=us-ascii',
    '',
    opts.notification,
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'X-Postfix-Sender: rfc822; alice@example.com',
    '',
    opts.recipients.join('\n\n'),
    '',
    `--${b}`,
    `Content-Type: ${opts.returnedType ?? 'message/rfc822'}`,
    '',
    opts.returned ?? 'From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hello\n\nhi',
    '',
    `--${b}--`,
    '',
  ].join('\n');
}

/** One recipient's per-recipient fields (RFC 3464 §2.3); a multi-line diagnostic needs its continuation lines indented. */
export const rcpt = (addr: string, action: string, status: string, diag: string, mta = 'mx.example.org') =>
  `Final-Recipient: rfc822; ${addr}\nAction: ${action}\nStatus: ${status}\nRemote-MTA: dns; ${mta}\nDiagnostic-Code: smtp; ${diag}`;
