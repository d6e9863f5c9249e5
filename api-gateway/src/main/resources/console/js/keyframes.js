// The validation samples a job was submitted with from this tab, so that its page can show the
// keyframe images beside the reel (the API does not hand a job's input back). Session storage,
// like the key: the image links are presigned and end with the tab.

const item = (id) => `ltx.keyframes.${id}`;

export function rememberKeyframes(id, validation) {
  if (!validation || validation.length === 0) return;
  sessionStorage.setItem(item(id), JSON.stringify(validation.map((v) => ({
    prompt: v.prompt, start_image_url: v.start_image_url, end_image_url: v.end_image_url, middle_image_url: v.middle_image_url,
  }))));
}

/** The samples remembered for {@code id}, or null. */
export function recallKeyframes(id) {
  try {
    const samples = JSON.parse(sessionStorage.getItem(item(id)));
    return Array.isArray(samples) ? samples : null;
  } catch {
    return null;
  }
}
