// Helpers every control of conv1x1.engine.controls shares; each widget's module is this file followed by its own.
//
// A control's own keys must not reach the notebook's shortcuts (in command mode the arrows move
// between cells), which would cancel the control's step. JupyterLab handles shortcuts on the
// bubbling keydown: stopping it at the control is enough. Notebook 7 handles them on the capturing
// keydown at the document, before the control sees the key; Lumino skips a key coming from an
// element marked data-lm-suppress-shortcuts, so the window (first in the capture) marks the control
// for its own keys only (Shift+Enter, Ctrl+S still work from it).
function labelled(el, className, tag) {
  // a <label for=id> naming the control: screen readers announce the control by it
  const id = "conv1x1-" + Math.random().toString(36).slice(2);
  el.classList.add(className);
  const label = document.createElement("label");
  label.htmlFor = id;
  const control = document.createElement(tag);
  control.id = id;
  return [label, control];
}

function guardKeys(control, keys) {
  const own = new Set(keys);
  const stop = (event) => { if (own.has(event.key)) event.stopPropagation(); };
  const mark = (event) => {
    if (event.target === control) control.toggleAttribute("data-lm-suppress-shortcuts", own.has(event.key));
  };
  control.addEventListener("keydown", stop);
  window.addEventListener("keydown", mark, true);
  return () => window.removeEventListener("keydown", mark, true);
}
