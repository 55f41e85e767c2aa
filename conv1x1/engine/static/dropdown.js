function render({ model, el }) {
  const [label, select] = labelled(el, "conv1x1-dropdown", "select");
  function show() {
    label.textContent = model.get("description");
    select.replaceChildren(...model.get("options").map((text) => new Option(text, text)));
    select.value = model.get("value");
    select.disabled = model.get("disabled");
    select.title = model.get("tooltip") || model.get("description");
  }
  select.addEventListener("change", () => { model.set("value", select.value); model.save_changes(); });
  const unguard = guardKeys(select, ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown",
                                     "Home", "End"]);
  model.on("change", show);
  show();
  el.append(label, select);
  return () => { model.off("change", show); unguard(); };
}
export default { render };
