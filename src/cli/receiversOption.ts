// --receivers <file.json>: the receivers' settings (the same shape as mailDns.receivers.*), for the
// commands whose reports model other receivers (check, rdns, helo). Checked as the settings are.
import * as fs from 'node:fs';
import { checkReceiverKnobs, type ReceiverKnobs } from '../core/receivers/knobs';
import { UsageError } from './shared';

export const RECEIVERS_OPTION = {
  name: 'receivers',
  kind: 'string',
  value: 'file.json',
  description: 'the receivers\' settings, as JSON: {"postfix": {"unknownClientRejectCode": 550, "unknownAddressRejectCode": 550, "rblRejectCode": 554, "unknownHostnameRejectCode": 450, "invalidHostnameRejectCode": 501, "nonFqdnRejectCode": 504}, "postscreen": {"sites": ["zen.spamhaus.org*2"], "threshold": 1, "action": "enforce"}, "rspamd": {"greylist": 4, "addHeader": 6, "reject": 15}, "spamassassin": {"requiredScore": 5}} (the settings mailDns.receivers.*; docs/receivers.md)',
} as const;

/** Reads and checks the file; a problem is a usage error naming it. */
export async function readReceiverKnobsFile(file: string): Promise<ReceiverKnobs> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--receivers: cannot read ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--receivers: ${file} is not JSON: ${(e as Error).message}`);
  }
  const { knobs, problems } = checkReceiverKnobs(raw);
  if (problems.length > 0) throw new UsageError(`--receivers: ${problems.map((p) => p.message).join(' ')}`);
  return knobs;
}
