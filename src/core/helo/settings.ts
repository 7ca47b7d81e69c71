// Where common mail programs take the name they send in HELO/EHLO (and show in their own greeting),
// so a fix can say exactly where to change it.
import type { NameSetting } from './types';

/** The settings, with `name` filled in (a placeholder when the check found no name to propose). */
export function heloNameSettings(name: string | undefined): NameSetting[] {
  const n = name ?? 'mail.example.com';
  return [
    {
      mta: 'Postfix',
      setting: 'smtp_helo_name in main.cf (default: $myhostname, which also names the server in its own 220 greeting)',
      example: `postconf -e 'smtp_helo_name = ${n}' && postfix reload   (or set myhostname = ${n})`,
    },
    {
      mta: 'Microsoft Exchange',
      setting: 'the FQDN of the Send connector (what it says in EHLO); the Receive connector FQDN is the name in its 220 greeting and EHLO reply',
      example: `Set-SendConnector -Identity "<connector>" -Fqdn ${n}   (Exchange 2003: SMTP virtual server → Properties → Delivery → Advanced → Fully-qualified domain name)`,
    },
    {
      mta: 'EasyMail SMTP Express',
      setting: 'registry string value HostName under HKEY_LOCAL_MACHINE\\SOFTWARE\\Quiksoft\\EasyMail SMTP Express (without it, the computer\'s own name, e.g. DYNA-WEB)',
      example: `reg add "HKLM\\SOFTWARE\\Quiksoft\\EasyMail SMTP Express" /v HostName /t REG_SZ /d ${n}`,
    },
    {
      mta: 'IIS SMTP service',
      setting: 'SMTP Virtual Server → Properties → Delivery → Advanced → Fully-qualified domain name',
      example: n,
    },
    {
      mta: 'Sendmail',
      setting: 'confDOMAIN_NAME in sendmail.mc (then rebuild sendmail.cf)',
      example: `define(\`confDOMAIN_NAME', \`${n}')dnl`,
    },
    {
      mta: 'Exim',
      setting: 'primary_hostname in the main configuration, or helo_data on the remote_smtp transport',
      example: `primary_hostname = ${n}`,
    },
  ];
}

/** One sentence naming the usual places, for fix descriptions. */
export function whereToSetName(name: string | undefined): string {
  const n = name ?? 'the new name';
  return (
    `Set it where the sending program takes its HELO name: Postfix smtp_helo_name (or myhostname) = ${n}; ` +
    `Exchange: the Send connector's FQDN (Set-SendConnector -Fqdn ${n}); ` +
    `EasyMail SMTP Express: the registry value HKLM\\SOFTWARE\\Quiksoft\\EasyMail SMTP Express\\HostName = ${n}; ` +
    `Sendmail confDOMAIN_NAME; Exim primary_hostname.`
  );
}
