import { createRequire, Module } from 'node:module';
import path from 'node:path';
import type ExcelJSModule from 'exceljs';

/**
 * ExcelJS, with one fix: its streaming reader (exceljs 4.4 lib/utils/parse-sax.js) decodes each
 * inflated chunk of a workbook's XML on its own (`TextDecoder.decode(chunk)`), so a Chinese
 * character whose three UTF-8 bytes straddle two chunks becomes two U+FFFD — silently, in any
 * cell, wherever zlib or the network happens to cut. Here the same SAX loop decodes with
 * `{ stream: true }`, one decoder per part, so a character cut at a chunk end is completed by the
 * next chunk. It is put in place of ExcelJS's module before ExcelJS is loaded (every module of
 * ours imports ExcelJS from here; eslint enforces it); a copy loaded earlier by someone else is
 * left alone, and ours is a fresh one.
 */

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('exceljs/package.json'));
const fromExcelJs = createRequire(path.join(packageDir, 'package.json'));
const { SaxesParser } = fromExcelJs('saxes') as typeof import('saxes');

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: Error | undefined;
  parser.on('error', (e) => (error = e));
  let events: SaxEvent[] = [];
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

function loadFixedExcelJs(): typeof ExcelJSModule {
  // A copy already loaded (by a caller outside src) keeps its own modules: ours is loaded afresh.
  for (const key of Object.keys(require.cache)) if (key.startsWith(packageDir + path.sep)) delete require.cache[key];
  const parseSaxPath = path.join(packageDir, 'lib', 'utils', 'parse-sax.js');
  const fixed = new Module(parseSaxPath);
  fixed.filename = parseSaxPath;
  fixed.loaded = true;
  fixed.exports = parseSax;
  require.cache[parseSaxPath] = fixed;
  return require('exceljs') as typeof ExcelJSModule;
}

const ExcelJS = loadFixedExcelJs();
export default ExcelJS;
