// Every parameter of fal-ai/ltx23-trainer-v2/interpolate with its default and rule, checked as the
// gateway checks it (common's InputValidator and FieldReader): the same locations, messages and
// types, so a problem found here reads exactly like the 422 the gateway would answer.

export const RANKS = [8, 16, 32, 64, 128];
export const RESOLUTIONS = ['low', 'medium', 'high'];
export const ASPECTS = ['16:9', '1:1', '9:16'];
export const DEFAULT_NEGATIVE_PROMPT = 'worst quality, inconsistent motion, blurry, jittery, distorted';
export const MAX_VALIDATION = 2;

/**
 * The form's fields in the README's order. kind: url, text, long-text, int, rank, number, choice,
 * bool. The validation list is a group of its own (see validationProblems).
 */
export const FIELDS = [
  { name: 'training_data_url', kind: 'url', required: true, rule: 'a zip of .mp4 .mov .webm .mkv .avi clips, optional name.txt captions; upload one or give an http(s) URL' },
  { name: 'trigger_phrase', kind: 'text', default: '', max: 200, rule: 'at most 200 characters; prepended to every caption' },
  { name: 'rank', kind: 'rank', default: 32, rule: '8, 16, 32, 64 or 128' },
  { name: 'number_of_steps', kind: 'int', default: 2000, min: 100, max: 20000, rule: '100…20000; billed max(100, steps) units' },
  { name: 'learning_rate', kind: 'number', default: 0.0002, min: 0, exclusiveMin: true, max: 0.01, rule: 'greater than 0, at most 0.01' },
  { name: 'include_middle_keyframe', kind: 'bool', default: false, rule: 'also hold the middle frame clean (each validation entry then needs a middle image)' },
  { name: 'number_of_frames', kind: 'int', default: 89, min: 9, max: 121, rule: '9…121, snapped down to 8n+1' },
  { name: 'frame_rate', kind: 'int', default: 24, min: 8, max: 60, rule: '8…60' },
  { name: 'resolution', kind: 'choice', default: 'medium', options: RESOLUTIONS, rule: 'with aspect_ratio, picks the bucket' },
  { name: 'aspect_ratio', kind: 'choice', default: '1:1', options: ASPECTS, rule: 'low 512×288 · 512² · 288×512; medium 768×448 · 768² · 448×768; high 960×544 · 960² · 544×960' },
  { name: 'auto_scale_input', kind: 'bool', default: false, rule: 'resample each clip to exactly number_of_frames (else shorter clips are dropped)' },
  { name: 'split_input_into_scenes', kind: 'bool', default: true, rule: 'split clips longer than the threshold at scene cuts' },
  { name: 'split_input_duration_threshold', kind: 'number', default: 30.0, min: 1, max: 60, rule: '1…60 seconds' },
  { name: 'validation_negative_prompt', kind: 'long-text', default: DEFAULT_NEGATIVE_PROMPT, max: 2000, rule: 'at most 2000 characters' },
  { name: 'validation_number_of_frames', kind: 'int', default: 89, min: 9, max: 121, rule: '9…121, snapped down to 8n+1' },
  { name: 'validation_frame_rate', kind: 'int', default: 24, min: 8, max: 60, rule: '8…60' },
  { name: 'validation_resolution', kind: 'choice', default: 'high', options: RESOLUTIONS, rule: 'bucket of the validation reel' },
  { name: 'validation_aspect_ratio', kind: 'choice', default: '1:1', options: ASPECTS, rule: 'bucket of the validation reel' },
  { name: 'stg_scale', kind: 'number', default: 1.0, min: 0, max: 3, rule: '0…3' },
  { name: 'debug_dataset', kind: 'bool', default: false, rule: 'also return the processed dataset' },
];

const problem = (loc, msg, type) => ({ loc: ['body', ...loc], msg, type });

/** Number of characters as pydantic (and the gateway) count them: code points. */
const length = (text) => [...text].length;

function orList(values) {
  return values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/**
 * The gateway's URL check (common's HttpUrls): http(s), a host, a port that can be connected to.
 * The scheme is read first, as java.net.URI does (a URL without one is refused for its scheme).
 */
export function urlProblem(value) {
  const text = value.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
  let url;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (!scheme || !['http', 'https'].includes(scheme[1].toLowerCase())) {
    return { msg: "URL scheme should be 'http' or 'https'", type: 'url_scheme' };
  }
  if (!url) return { msg: 'Input should be a valid URL, invalid host or port', type: 'url_parsing' };
  if (!url.hostname) return { msg: 'Input should be a valid URL, empty host', type: 'url_parsing' };
  if (url.port === '0') return { msg: 'Input should be a valid URL, invalid port number', type: 'url_parsing' };
  return null;
}

/** A URL field as the gateway reads it: a string, not blank, at most 2048 characters, a web URL. */
function checkUrl(value, loc, required, problems) {
  if (value === undefined || value === null) {
    if (required || value === null) {
      problems.push(problem(loc, value === null ? 'Input should be a valid string' : 'Field required', value === null ? 'string_type' : 'missing'));
    }
  } else if (typeof value !== 'string') problems.push(problem(loc, 'Input should be a valid string', 'string_type'));
  else if (required && !value.trim()) problems.push(problem(loc, 'String should have at least 1 character', 'string_too_short'));
  else if (length(value) > 2048) problems.push(problem(loc, 'String should have at most 2048 characters', 'string_too_long'));
  else {
    const bad = urlProblem(value);
    if (bad) problems.push(problem(loc, bad.msg, bad.type));
  }
}

function checkInt(value, field, problems, loc) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    problems.push(problem(loc, 'Input should be a valid integer', 'int_type'));
  } else if (!Number.isFinite(value)) {
    problems.push(problem(loc, 'Input should be a finite number', 'finite_number'));
  } else if (!Number.isInteger(value)) {
    problems.push(problem(loc, 'Input should be a valid integer, got a number with a fractional part', 'int_from_float'));
  } else if (field.kind === 'rank' && !RANKS.includes(value)) {
    problems.push(problem(loc, `Input should be ${orList(RANKS.map(String))}`, 'literal_error'));
  } else if (field.min !== undefined && value < field.min) {
    problems.push(problem(loc, `Input should be greater than or equal to ${field.min}`, 'greater_than_equal'));
  } else if (field.max !== undefined && value > field.max) {
    problems.push(problem(loc, `Input should be less than or equal to ${field.max}`, 'less_than_equal'));
  }
}

function checkNumber(value, field, problems, loc) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    problems.push(problem(loc, 'Input should be a valid number', 'float_type'));
  } else if (!Number.isFinite(value)) {
    problems.push(problem(loc, 'Input should be a finite number', 'finite_number'));
  } else if (field.exclusiveMin ? value <= field.min : value < field.min) {
    problems.push(problem(loc, `Input should be greater than ${field.exclusiveMin ? '' : 'or equal to '}${field.min}`,
      field.exclusiveMin ? 'greater_than' : 'greater_than_equal'));
  } else if (value > field.max) {
    problems.push(problem(loc, `Input should be less than or equal to ${field.max}`, 'less_than_equal'));
  }
}

function checkField(field, value, problems) {
  const loc = [field.name];
  if (value === undefined) {
    if (field.required) problems.push(problem(loc, 'Field required', 'missing'));
    return;
  }
  switch (field.kind) {
    case 'url':
      checkUrl(value, loc, field.required, problems);
      break;
    case 'text':
    case 'long-text':
      if (length(value) > field.max) problems.push(problem(loc, `String should have at most ${field.max} characters`, 'string_too_long'));
      break;
    case 'int':
    case 'rank':
      checkInt(value, field, problems, loc);
      break;
    case 'number':
      checkNumber(value, field, problems, loc);
      break;
    case 'choice':
      if (!field.options.includes(value)) {
        problems.push(problem(loc, `Input should be ${orList(field.options.map((o) => `'${o}'`))}`, 'literal_error'));
      }
      break;
    default:
      break;
  }
}

function validationProblems(entries, middleRequired, problems) {
  if (entries.length > MAX_VALIDATION) {
    problems.push(problem(['validation'], `List should have at most ${MAX_VALIDATION} items after validation, not ${entries.length}`, 'too_long'));
    return;
  }
  entries.forEach((entry, i) => {
    const at = (name) => ['validation', i, name];
    if (entry.prompt === undefined) problems.push(problem(at('prompt'), 'Field required', 'missing'));
    else if (!entry.prompt.trim()) problems.push(problem(at('prompt'), 'String should have at least 1 character', 'string_too_short'));
    else if (length(entry.prompt) > 2000) problems.push(problem(at('prompt'), 'String should have at most 2000 characters', 'string_too_long'));
    for (const name of ['start_image_url', 'end_image_url']) checkUrl(entry[name], at(name), true, problems);
    if (entry.middle_image_url !== undefined) checkUrl(entry.middle_image_url, at('middle_image_url'), false, problems);
    else if (middleRequired) {
      problems.push(problem(at('middle_image_url'), 'Value error, middle_image_url is required when include_middle_keyframe is true', 'value_error'));
    }
  });
}

/**
 * Every problem of an input object, in the 422 detail's shape ({loc, msg, type}); none when the
 * gateway would accept it. The form puts a stand-in URL where a local file is still to be uploaded.
 */
export function validate(input) {
  const problems = [];
  for (const field of FIELDS) checkField(field, input[field.name], problems);
  validationProblems(input.validation || [], input.include_middle_keyframe === true, problems);
  return problems;
}

/** A 422 entry's field key as the form names its error slots: "rank", "validation.0.prompt", "fal_webhook". */
export function fieldKey(loc) {
  if (!Array.isArray(loc) || loc.length === 0) return '';
  const [where, ...rest] = loc;
  return where === 'body' || where === 'query' ? rest.join('.') : loc.join('.');
}
