// Enhanced mail system status codes: RFC 3463 (classes, subjects, details), RFC 7372 (authentication
// failures, X.7.20–X.7.26), RFC 7505 (null MX, X.1.10 and X.7.27), as registered at IANA
// ("Simple Mail Transfer Protocol (SMTP) Enhanced Status Codes Registry", RFC 5248).

const CLASS: Record<string, string> = {
  '2': 'success',
  '4': 'temporary failure: the sender retries',
  '5': 'permanent failure: the message bounces',
};

const DETAIL: Record<string, string> = {
  '0.0': 'other or undefined status',
  '1.0': 'other address status',
  '1.1': 'bad destination mailbox (the recipient does not exist)',
  '1.2': 'bad destination system (the recipient\'s domain does not exist or takes no mail)',
  '1.3': 'bad destination mailbox address syntax',
  '1.6': 'destination mailbox has moved',
  '1.7': 'bad sender\'s mailbox address syntax',
  '1.8': 'bad sender\'s system address (the sender\'s domain does not exist or takes no mail)',
  '1.10': 'recipient address has a null MX (RFC 7505): the domain takes no mail',
  '2.0': 'other or undefined mailbox status',
  '2.1': 'mailbox disabled, not accepting messages',
  '2.2': 'mailbox full',
  '2.3': 'message too large for the mailbox',
  '3.0': 'other or undefined mail system status',
  '3.4': 'message too big for the system',
  '4.0': 'other or undefined network or routing status',
  '4.1': 'no answer from host',
  '4.4': 'unable to route',
  '4.7': 'delivery time expired',
  '5.0': 'other or undefined protocol status',
  '5.1': 'invalid command',
  '5.2': 'syntax error (here: in a command argument such as the HELO name)',
  '5.3': 'too many recipients',
  '5.4': 'invalid command arguments',
  '6.0': 'other or undefined media error',
  '7.0': 'other or undefined security or policy status',
  '7.1': 'delivery not authorized, message refused (a policy decision of the receiver)',
  '7.8': 'authentication credentials invalid',
  '7.9': 'authentication mechanism is too weak',
  '7.10': 'encryption needed',
  '7.20': 'no passing DKIM signature found (RFC 7372)',
  '7.21': 'no acceptable DKIM signature found (RFC 7372)',
  '7.22': 'no valid author-matched DKIM signature found (RFC 7372)',
  '7.23': 'SPF validation failed (RFC 7372)',
  '7.24': 'SPF validation error (RFC 7372)',
  '7.25': 'reverse DNS validation failed (RFC 7372): the sending IP has no PTR, or its name does not resolve back to it',
  '7.26': 'multiple authentication checks failed (RFC 7372): SPF, DKIM or DMARC',
  '7.27': 'sender address has a null MX (RFC 7505)',
};

/** `5.7.25` → its meaning in words; undefined for text that is not an enhanced status code. */
export function enhancedCodeMeaning(code: string): string | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (!m) return undefined;
  const detail = DETAIL[`${m[2]}.${m[3]}`] ?? DETAIL[`${m[2]}.0`];
  return `${CLASS[m[1]]}; ${detail ?? 'unregistered code'}`;
}
