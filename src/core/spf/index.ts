// SPF (RFC 7208): the evaluator, the parser, send-as advice, and their text reports.
export { checkHost, domainProblem, InputError, spfIdentity, type SpfCheckInput, type SpfOptions } from './check';
export { authorizeIp, ipMechanism, txtRecordLine, type AuthorizeEdit } from './fix';
export { expandTokens, parseMacroString, toQueryName, transform, unqueryable, urlEscape, type MacroPlace, type MacroToken, type MacroValues } from './macro';
export { checkDomainSpec, countLookups, isSpfRecord, lintSpf, parseSpf, type SpfLint } from './parse';
export { authResultsClause, receivedSpfHeader } from './received';
export { rfcLink, sectionOf } from './sections';
export { sendAs, type SendAsOptions } from './sendas';
export { sendAsToText, spfToText } from './text';
export type * from './types';
