function render({ model, el }) {
  const [label, input] = labelled(el, "conv1x1-slider", "input");
  input.type = "range";
  const output = document.createElement("output");
  output.htmlFor = input.id;
  output.setAttribute("aria-hidden", "true");   // the value is announced through aria-valuetext
  const format = (v) => {
    const d = model.get("decimals");
    return Number(v).toFixed(d).replace("-", "\u2212");
  };
  function show() {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.disabled = model.get("disabled");
    input.title = model.get("tooltip") || model.get("description");
    const text = format(model.get("value"));
    output.textContent = text;
    input.setAttribute("aria-valuetext", text);
  }
  function send() {
    model.set("value", Number(input.value));
    model.save_changes();
  }
  input.addEventListener("input", () => {
    output.textContent = format(input.value);
    if (model.get("continuous_update")) send();
  });
  input.addEventListener("change", send);
  const unguard = guardKeys(input, ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown",
                                    "PageUp", "PageDown", "Home", "End"]);
  model.on("change", show);
  show();
  el.append(label, input, output);
  return () => {
    model.off("change", show);
    unguard();
  };
}
export default { render };
