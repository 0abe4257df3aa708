// Gate for spool lines that the snapshot pipeline would refuse. Elasticsearch
// answers such a document with HTTP 500 and Filebeat retries 5xx forever, so one
// damaged line would wedge the whole spool. It is logged (file and byte offset,
// so it can be found on disk, where the spool file still holds it) and dropped.
var console = require('console');
var TARGETS = { current: true, history: true };

function problem(event) {
  var decodeError = event.Get('error.message');
  if (decodeError) return 'not a wire-format JSON line (' + decodeError + ')';
  var host = event.Get('host.name');
  var path = event.Get('file.path');
  if (typeof host !== 'string' || host === '') return 'no host.name';
  if (typeof path !== 'string' || path === '') return 'no file.path';
  var target = event.Get('mitra.target');
  if (target !== null && !TARGETS[target]) return 'mitra.target is "' + target + '", not current or history';
  return null;
}

function process(event) {
  var why = problem(event);
  if (why === null) return;
  var where = 'byte ' + event.Get('log.offset') + ' of ' + event.Get('log.file.path');
  var fix = 'the snapshot pipeline would refuse it. Fix what wrote the file.';
  console.error('mitra spool: dropped the line at ' + where + ': ' + why + '; ' + fix);
  event.Cancel();
}
