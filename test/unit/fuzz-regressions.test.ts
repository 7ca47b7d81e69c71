// Inputs the fuzz suite (test/fuzz) found to break a property, each kept as a test named by it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { receivedSpfHeader } from '../../src/core/spf/received';

describe('fuzz regressions', () => {
  // fuzz target `inputs`, property received-spf-one-line: a receiver, sender or HELO name with a line
  // break (a typed --helo, a DNS error text) started a second header line inside the quoted-string.
  it('Received-SPF stays one line for receiver "\\n31" and a HELO name with CR LF and other controls', () => {
    const h = receivedSpfHeader({ result: 'pass', ip: '192.0.2.1', sender: ' 31', envelopeFrom: 'DYNA-WEB', helo: 'evil\r\nX-Injected: 1\u0000\u001b[2J', identity: 'mailfrom', receiver: '\n31', mechanism: 'DYNA-WEB' });
    assert.doesNotMatch(h, /[\r\n\u0000\u001b]/);
    assert.match(h, /^Received-SPF: pass \( 31: domain of  31 designates 192\.0\.2\.1 as permitted sender\) receiver=" 31"; /);
    assert.match(h, /helo="evil X-Injected: 1 \[2J";/);
  });

  it('Received-SPF keeps a problem text from DNS on the line: permerror with "a\\nb"', () => {
    const h = receivedSpfHeader({ result: 'permerror', ip: '2001:db8::1', sender: 'postmaster@example.test', envelopeFrom: '', identity: 'mailfrom', problem: 'CNAME loop at mail\n.example.test' });
    assert.doesNotMatch(h, /[\r\n]/);
    assert.match(h, /problem="CNAME loop at mail \.example\.test";$/);
  });
});
