// Runs the npm sentiment packages Earshot is compared with on the same
// texts, and prints macro-F1 and macro recall for each, and its speed.
//
//   earshot eval sentiment --data ../shared/eval/sentiment/vader_tweets.tsv --heldout --dump /tmp/peers/vader_tweets.jsonl
//   cd /tmp/peers && npm install vader-sentiment sentiment wink-sentiment
//   NODE_PATH=/tmp/peers/node_modules node docs/peers/peers.js /tmp/peers/vader_tweets.jsonl
//
// Input: JSON lines {id, text, label} as `earshot eval sentiment --dump`
// writes them. Each package is used as its documentation says, with its
// own thresholds: vader-sentiment's compound >= 0.05 positive, <= -0.05
// negative; sentiment (AFINN-165) and wink-sentiment, a score above 0
// positive, below 0 negative, else neutral.
'use strict';
const fs = require('fs');
const vader = require('vader-sentiment');
const Sentiment = require('sentiment');
const wink = require('wink-sentiment');

const afinn = new Sentiment();
const peers = {
  'vader-sentiment': (t) => {
    const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
    return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : 'neutral';
  },
  'sentiment (AFINN)': (t) => {
    const s = afinn.analyze(t).score;
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
  },
  'wink-sentiment': (t) => {
    const s = wink(t).normalizedScore;
    return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
  },
};

const classes = ['negative', 'neutral', 'positive'];

function metrics(gold, pred) {
  let f1 = 0, recall = 0;
  for (const c of classes) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    f1 += p + r ? (2 * p * r) / (p + r) : 0;
    recall += r;
  }
  return { macroF1: f1 / classes.length, macroRecall: recall / classes.length };
}

for (const file of process.argv.slice(2)) {
  const items = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const gold = items.map((it) => it.label);
  for (const [name, label] of Object.entries(peers)) {
    const start = process.hrtime.bigint();
    const pred = items.map((it) => label(it.text));
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const m = metrics(gold, pred);
    console.log(JSON.stringify({
      file, peer: name, items: items.length,
      macro_f1: +m.macroF1.toFixed(4), macro_recall: +m.macroRecall.toFixed(4),
      posts_per_sec: Math.round(items.length / secs),
    }));
  }
}
