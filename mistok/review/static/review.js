// mistok review: keyboard shortcuts and changes without a page reload. Every form works
// without this script; with it, a change is sent with fetch and the page is reloaded.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const findings = () => Array.from(document.querySelectorAll(".finding"));
  const beads = () => Array.from(document.querySelectorAll("tr.bead"));
  let finding = -1;
  let bead = -1;

  function select(list, index, cls) {
    list.forEach((el) => el.classList.remove("selected"));
    if (index >= 0 && index < list.length) {
      list[index].classList.add("selected");
      list[index].scrollIntoView({ block: "nearest" });
    }
  }

  async function post(form, extra) {
    const data = new FormData(form);
    for (const [key, value] of Object.entries(extra || {})) data.set(key, value);
    data.set("csrf", csrf);
    // getAttribute: a button named "action" shadows form.action
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "mistok", "X-CSRF-Token": csrf },
      credentials: "same-origin",
    });
    if (!response.ok) {
      let message = "the change was refused";
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      window.alert(message);
      return;
    }
    window.location.reload();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post" || form.classList.contains("who")) return;
    event.preventDefault();
    const button = event.submitter;
    const extra = button && button.name ? { [button.name]: button.value } : {};
    const action = extra.action;
    const reasonField = form.querySelector("input[name=reason]");
    if ((action === "dismiss" || action === "accept") && !reasonField.value.trim()) {
      const reason = window.prompt(action === "dismiss" ? "Why dismiss this finding?" : "Why is this spelling deliberate?");
      if (!reason) return;
      reasonField.value = reason;
    }
    post(form, extra);
  });

  function act(action) {
    const el = findings()[finding];
    if (!el) return;
    const button = el.querySelector(`button[value="${action}"]`);
    if (button) button.click();
  }

  function beadOp(cls) {
    const el = beads()[bead];
    if (!el) return;
    const button = el.querySelector(`button.${cls}`);
    if (button) button.click();
  }

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (event.key === "Enter" && event.ctrlKey) {
      const approve = document.querySelector("button.approve");
      if (approve) { event.preventDefault(); approve.click(); }
      return;
    }
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === "?") { const help = document.getElementById("help"); help.hidden = !help.hidden; }
    else if (key === "j") { finding = Math.min(finding + 1, findings().length - 1); select(findings(), finding); }
    else if (key === "k") { finding = Math.max(finding - 1, 0); select(findings(), finding); }
    else if (key === "n") { bead = Math.min(bead + 1, beads().length - 1); select(beads(), bead); }
    else if (key === "p") { bead = Math.max(bead - 1, 0); select(beads(), bead); }
    else if (key === "d") act("dismiss");
    else if (key === "a") act("accept");
    else if (key === "h") act("adopt");
    else if (key === "+") beadOp("join");
    else if (key === "s") beadOp("split");
    else if (key === "u") {
      // the newest decision on this page: the undo form with the highest decision number
      const forms = Array.from(document.querySelectorAll(".undo-form"));
      const number = (f) => parseInt(f.querySelector("input[name=decision]").value, 10);
      const newest = forms.sort((a, b) => number(b) - number(a))[0];
      if (newest) newest.querySelector("button").click();
    } else return;
    event.preventDefault();
  });
})();
