// The new-job form: every parameter with its default and rule, checked here as the gateway checks
// it, local files uploaded first, and one Idempotency-Key per submission so that a second click, or
// a retry after a lost answer, finds the job the first one made.
import { ApiError, ENDPOINT, call } from './api.js';
import { bytes, fill, h, randomId } from './dom.js';
import { FIELDS, MAX_VALIDATION, fieldKey, urlProblem, validate } from './fields.js';
import { rememberKeyframes } from './keyframes.js';
import { upload } from './upload.js';

/** Stands in for a local file until it is uploaded, so the URL rules can be checked first. */
const LOCAL_FILE = 'https://local-file.invalid/';
const IMAGES = ['start_image_url', 'end_image_url', 'middle_image_url'];

function shownDefault(field) {
  if (field.required) return 'required';
  if (field.kind === 'text' || field.kind === 'long-text') return field.default === '' ? 'default ""' : 'default: LTX\'s';
  return `default ${field.default}`;
}

function control(field) {
  const props = { id: `f-${field.name}`, name: field.name };
  switch (field.kind) {
    case 'bool':
      return h('input', { ...props, type: 'checkbox', checked: field.default });
    case 'choice':
    case 'rank': {
      const options = field.kind === 'rank' ? [8, 16, 32, 64, 128] : field.options;
      return h('select', props, options.map((o) => h('option', { value: String(o), selected: o === field.default }, String(o))));
    }
    case 'long-text':
      return h('textarea', { ...props, rows: 2, text: field.default });
    case 'int':
      return h('input', { ...props, type: 'text', inputmode: 'numeric', value: String(field.default) });
    case 'number':
      return h('input', { ...props, type: 'text', inputmode: 'decimal', value: String(field.default) });
    default:
      return h('input', { ...props, type: 'text', value: field.default ?? '', autocomplete: 'off' });
  }
}

function errorSlot(key) {
  return h('p', { class: 'error', dataset: { errorFor: key }, 'aria-live': 'polite' });
}

/** A whole number or decimal as typed; undefined when left empty (the default applies). */
function numberOf(text) {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/**
 * A URL field that also takes a local file: the file wins when one is chosen, and is uploaded at
 * once (with a progress bar) while the rest of the form is filled in.
 */
function urlOrFile(key, label, accept, withPreview) {
  const url = h('input', { type: 'text', name: key, id: `f-${key}`, placeholder: 'https://…', autocomplete: 'off' });
  const file = h('input', { type: 'file', accept, dataset: { fileFor: key } });
  const preview = withPreview ? h('img', { class: 'thumb', alt: '', hidden: true }) : null;
  const bar = h('progress', { max: 1, value: 0, hidden: true, dataset: { progressFor: key } });
  const barText = h('span', { class: 'muted', dataset: { progressTextFor: key } });
  const error = errorSlot(key);
  let current = null; // {file, promise, failed}

  const start = (chosen) => {
    bar.hidden = false;
    bar.value = 0;
    error.textContent = '';
    const attempt = { file: chosen, failed: false };
    attempt.promise = upload(chosen, (sent, total) => {
      bar.value = total ? sent / total : 1;
      barText.textContent = `Uploading ${chosen.name}: ${bytes(sent)} of ${bytes(total)}`;
    }).then((fileUrl) => {
      barText.textContent = `Uploaded ${chosen.name} (${bytes(chosen.size)})`;
      return fileUrl;
    }, (e) => {
      attempt.failed = true;
      barText.textContent = '';
      error.textContent = `The upload failed: ${e.message}`;
      throw e;
    });
    attempt.promise.catch(() => {}); // reported beside the field; submit tries again
    current = attempt;
  };

  file.addEventListener('change', () => {
    const chosen = file.files[0];
    if (preview) {
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.hidden = !chosen;
      if (chosen) preview.src = URL.createObjectURL(chosen);
    }
    current = null;
    bar.hidden = true;
    barText.textContent = '';
    if (chosen) start(chosen);
  });

  const element = h('div', { class: 'field url-or-file' },
    h('label', { for: `f-${key}` }, label),
    h('div', { class: 'pair' }, file, h('span', { class: 'or' }, 'or'), url),
    h('div', { class: 'upload' }, bar, barText), preview, error);
  return {
    element,
    url,
    /** The chosen file, if any. */
    chosen: () => file.files[0] || null,
    /** The uploaded file's URL, once its upload (again, after a failure) has finished. */
    uploaded: () => {
      if (!current || current.failed || current.file !== file.files[0]) start(file.files[0]);
      return current.promise;
    },
  };
}

function sampleBlock(index) {
  const base = `validation.${index}`;
  const prompt = h('textarea', { name: `${base}.prompt`, id: `f-${base}.prompt`, rows: 2 });
  const images = Object.fromEntries(IMAGES.map((name) => [name,
    urlOrFile(`${base}.${name}`, name.replace('_url', '').replaceAll('_', ' ') + (name === 'middle_image_url' ? ' (with include_middle_keyframe)' : ''),
      'image/png,image/jpeg,image/webp', true)]));
  const element = h('fieldset', { class: 'sample' },
    h('legend', null, `validation[${index}]`),
    h('div', { class: 'field' }, h('label', { for: `f-${base}.prompt` }, 'prompt'), prompt,
      h('p', { class: 'rule' }, 'required, at most 2000 characters'), errorSlot(`${base}.prompt`)),
    h('div', { class: 'images' }, IMAGES.map((name) => images[name].element)));
  return { element, prompt, images };
}

/** Renders the form into {@code view}. */
export function renderForm(view) {
  const controls = new Map(FIELDS.filter((f) => f.name !== 'training_data_url').map((f) => [f.name, control(f)]));
  const zip = urlOrFile('training_data_url', 'training_data_url', '.zip,application/zip', false);
  const webhook = h('input', { type: 'text', name: 'fal_webhook', id: 'f-fal_webhook', placeholder: 'https://your.host/hook', autocomplete: 'off' });
  const priority = h('select', { name: 'priority', id: 'f-priority' }, h('option', { value: 'normal' }, 'normal'), h('option', { value: 'low' }, 'low'));
  const formErrors = h('ul', { id: 'form-errors', class: 'error-list', 'aria-live': 'polite' });
  const samples = [];
  const samplesBox = h('div', { class: 'samples' });
  const addSample = h('button', { type: 'button', id: 'add-sample', class: 'secondary' }, 'Add a validation sample');
  const submitButton = h('button', { type: 'submit', id: 'submit-job' }, 'Start training');

  const removeSample = h('button', { type: 'button', id: 'remove-sample', class: 'secondary', hidden: true }, 'Remove the last sample');
  const redrawSamples = () => {
    fill(samplesBox, samples.map((s) => s.element));
    addSample.disabled = samples.length >= MAX_VALIDATION;
    removeSample.hidden = samples.length === 0;
  };
  addSample.addEventListener('click', () => {
    samples.push(sampleBlock(samples.length));
    redrawSamples();
  });
  removeSample.addEventListener('click', () => {
    samples.pop();
    redrawSamples();
  });

  const rows = FIELDS.map((field) => {
    if (field.name === 'training_data_url') {
      zip.element.classList.add('wide');
      zip.element.append(h('p', { class: 'rule' }, `required: ${field.rule}`));
      return zip.element;
    }
    const c = controls.get(field.name);
    const label = h('label', { for: c.id }, field.name);
    const rule = h('p', { class: 'rule' }, `${shownDefault(field)}; ${field.rule}`);
    return h('div', { class: `field${field.kind === 'bool' ? ' check' : ''}${field.kind === 'long-text' ? ' wide' : ''}` },
      field.kind === 'bool' ? h('div', { class: 'check-row' }, c, label) : [label, c], rule, errorSlot(field.name));
  });

  const form = h('form', { id: 'job-form', class: 'job-form', novalidate: true },
    h('h1', null, 'New training job'),
    h('p', { class: 'lead' }, 'fal-ai/ltx23-trainer-v2/interpolate: every parameter, with its default and rule. '
      + 'Problems are shown beside the field they concern, before anything is sent.'),
    formErrors,
    h('section', { class: 'grid' }, rows),
    h('section', null, h('h2', null, 'Validation samples'),
      h('p', { class: 'rule' }, 'at most 2; each is sampled between its keyframe images into the validation reel'),
      errorSlot('validation'), samplesBox, h('div', { class: 'row' }, addSample, removeSample)),
    h('section', { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'f-fal_webhook' }, 'fal_webhook'), webhook,
        h('p', { class: 'rule' }, 'optional: an http(s) URL that receives the signed result'), errorSlot('fal_webhook')),
      h('div', { class: 'field' }, h('label', { for: 'f-priority' }, 'x-fal-queue-priority'), priority,
        h('p', { class: 'rule' }, 'low waits behind every normal job'))),
    h('div', { class: 'actions' }, submitButton));

  /** The input as the gateway would get it, with stand-ins for local files, and the files to upload. */
  function read() {
    const input = {};
    const files = [];
    if (zip.chosen()) {
      input.training_data_url = LOCAL_FILE;
      files.push({ field: zip, put: (url) => { input.training_data_url = url; } });
    } else if (zip.url.value.trim() !== '') {
      input.training_data_url = zip.url.value.trim();
    }
    for (const field of FIELDS) {
      const c = controls.get(field.name);
      if (!c) continue;
      if (field.kind === 'bool') input[field.name] = c.checked;
      else if (field.kind === 'int' || field.kind === 'number') {
        const value = numberOf(c.value);
        if (value !== undefined) input[field.name] = value;
      } else if (field.kind === 'rank') input[field.name] = Number(c.value);
      else input[field.name] = c.value;
    }
    input.validation = samples.map((s) => {
      const entry = { prompt: s.prompt.value };
      for (const name of IMAGES) {
        const image = s.images[name];
        const url = image.url.value.trim();
        if (image.chosen()) {
          entry[name] = LOCAL_FILE;
          files.push({ field: image, put: (u) => { entry[name] = u; } });
        } else if (url) entry[name] = url;
      }
      return entry;
    });
    return { input, files };
  }

  function clearErrors() {
    form.querySelectorAll('[data-error-for]').forEach((slot) => { slot.textContent = ''; });
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    fill(formErrors);
  }

  /** Shows each problem beside the field its loc names; those with no field go on top. */
  function show(problems) {
    for (const p of problems) {
      const key = fieldKey(p.loc);
      const slot = [...form.querySelectorAll('[data-error-for]')].find((s) => s.dataset.errorFor === key);
      const text = typeof p.msg === 'string' ? p.msg : JSON.stringify(p.msg);
      if (slot) {
        slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
        slot.parentElement.classList.add('invalid');
      } else {
        formErrors.append(h('li', null, `${(p.loc || []).join('.')}: ${text}`));
      }
    }
    form.querySelector('.invalid, #form-errors li')?.scrollIntoView({ block: 'center' });
  }

  let attempt = null;
  let busy = false;

  async function submit(event) {
    event.preventDefault();
    if (busy) return; // a second click while the first is under way
    busy = true;
    submitButton.disabled = true;
    try {
      clearErrors();
      const { input, files } = read();
      const problems = validate(input);
      const hook = webhook.value.trim();
      const hookProblem = hook ? urlProblem(hook) : null;
      if (hookProblem) problems.push({ loc: ['query', 'fal_webhook'], ...hookProblem });
      if (problems.length) {
        show(problems);
        return;
      }
      for (const f of files) f.put(await f.field.uploaded());
      // The same submission (same body, webhook and lane) keeps its key: the gateway answers the job it made.
      const signature = JSON.stringify([input, hook, priority.value]);
      if (!attempt || attempt.signature !== signature) attempt = { signature, key: randomId() };
      const { body } = await call('POST', ENDPOINT, {
        json: input,
        query: { fal_webhook: hook },
        headers: { 'Idempotency-Key': attempt.key, 'x-fal-queue-priority': priority.value },
      });
      rememberKeyframes(body.request_id, input.validation);
      location.hash = `#/jobs/${encodeURIComponent(body.request_id)}`;
    } catch (error) {
      if (error instanceof ApiError && error.problems) show(error.problems);
      else show([{ loc: [], msg: error.message }]);
    } finally {
      busy = false;
      submitButton.disabled = false;
    }
  }

  form.addEventListener('submit', submit);
  fill(view, form);
  return { destroy() {} };
}
