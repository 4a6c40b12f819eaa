// npm sentiment 5.0.2 over JSON lines {id, text} on a file: one JSON line out per input, like earshot analyze.
'use strict';
const fs = require('fs');
const Sentiment = require('sentiment');
const s = new Sentiment();
const out = [];
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const d = JSON.parse(line);
  const r = s.analyze(d.text).score;
  out.push(JSON.stringify({id: d.id, score: r, label: r > 0 ? 'positive' : r < 0 ? 'negative' : 'neutral'}));
}
process.stdout.write(out.join('\n') + '\n');
