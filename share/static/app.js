/* chitieu - progressive enhancement only; every page works without it.
 * - selects marked data-autosubmit submit their form on change;
 * - the entry grid checks numbers as you type with the server's own rules (vnParseNumber, a
 *   port of vn_parse_number in src/vn.c, checked against tests/data/vn_numbers.txt by
 *   tests/js/numbers.test.js), warns when a value moves more than tenfold from the previous
 *   period (data-prev), and asks for a reason when a stored figure's field is emptied (a
 *   deletion);
 * - the entry grid moves between rows with Enter and the arrow keys;
 * - a table box that scrolls sideways takes the keyboard focus when nothing inside can. */
'use strict';
// vnParseNumber(text, hint): the number, or NaN; hint 'comma' (Vietnamese: '.' groups
// thousands), 'dot' (English) or 'auto'.  Exactly the rules of vn_parse_number (src/vn.c):
// optional sign, digits, at most one decimal mark, groups of 3; with both marks the last is the
// decimal one; one mark repeated groups; a single mark is decimal unless followed by exactly
// three digits, forming a valid group, and the hint says it groups.
function vnParseNumber(text, hint) {
  var s = String(text).replace(/^[ \t]+|[ \t]+$/g, '');
  var neg = false;
  if (s[0] === '-' || s[0] === '+') { neg = s[0] === '-'; s = s.slice(1); }
  if (s.length === 0 || s.length > 200 || /[^0-9.,]/.test(s)) return NaN;
  function intOk(t, grp) {             // int_part_ok
    var run = 0, groups = 0;
    for (var k = 0; k < t.length; k++) {
      if (grp && t[k] === grp) {
        if (groups === 0 ? (run === 0 || run > 3 || t[0] === '0') : run !== 3) return false;
        groups++; run = 0;
      } else if (t[k] >= '0' && t[k] <= '9') run++;
      else return false;
    }
    return groups ? run === 3 : run > 0;
  }
  var ndot = s.split('.').length - 1, ncomma = s.split(',').length - 1;
  var dec = '', grp = '', at = s.length;
  if (ndot && ncomma) {
    dec = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    grp = dec === '.' ? ',' : '.';
    at = s.lastIndexOf(dec);
    if ((dec === '.' ? ndot : ncomma) !== 1) return NaN;
  } else if (ndot + ncomma > 1) {
    grp = ndot ? '.' : ',';
  } else if (ndot + ncomma === 1) {
    var mark = ndot ? '.' : ',', m = s.indexOf(mark);
    var couldGroup = s.length - m - 1 === 3 && intOk(s, mark);
    var hintGroups = (mark === '.' && hint === 'comma') || (mark === ',' && hint === 'dot');
    if (couldGroup && hintGroups) grp = mark; else { dec = mark; at = m; }
  }
  if (!intOk(s.slice(0, at), grp)) return NaN;
  if (dec && at + 1 === s.length) return NaN;
  var digits = s.slice(0, at).split(grp || 'x').join('') + (dec ? '.' + s.slice(at + 1) : '');
  var v = Number(digits);
  return v === 0 ? 0 : neg ? -v : v;
}
if (typeof module !== 'undefined' && module.exports) module.exports = { vnParseNumber: vnParseNumber };
(function () {
  if (typeof document === 'undefined') return;
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
  // A table box that scrolls sideways and holds nothing focusable can be scrolled with the
  // keyboard once it takes focus; it is named after the heading above it.
  document.querySelectorAll('.scroll').forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth || box.querySelector('a[href], input, select, button, [tabindex]')) return;
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    var h = box.previousElementSibling;
    box.setAttribute('aria-label', h && /^H[1-6]$/.test(h.tagName) ? h.textContent : document.title);
  });
  // The entry grid from the keyboard: Enter or the down arrow moves to the same field of the next
  // indicator, Shift+Enter or the up arrow to the previous one (Tab goes on to the comment);
  // with Ctrl (or Cmd) held the key is left to the browser.
  var grid = document.querySelector('#entry table.entry');
  if (grid) grid.addEventListener('keydown', function (ev) {
    var inp = ev.target;
    if (inp.tagName !== 'INPUT' || !/^[vc]_/.test(inp.name)) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var down = ev.key === 'ArrowDown' || (ev.key === 'Enter' && !ev.shiftKey);
    var up = ev.key === 'ArrowUp' || (ev.key === 'Enter' && ev.shiftKey);
    if (!down && !up) return;
    var fields = Array.prototype.slice.call(grid.querySelectorAll('input[name^="' + inp.name.charAt(0) + '_"]'));
    var next = fields[fields.indexOf(inp) + (down ? 1 : -1)];
    ev.preventDefault();
    if (next) { next.focus(); next.select(); }
  });
  var form = document.getElementById('entry');
  if (!form) return;
  var en = form.dataset.lang === 'en';
  var reason = document.getElementById('reason');
  function parse(t) { return vnParseNumber(t, en ? 'dot' : 'comma'); }
  // a field emptied where a figure is stored: a deletion, which needs a reason
  function deleting(inp) {
    var o = form.querySelector('input[type="hidden"][name="o_' + inp.name.slice(2) + '"]');
    return inp.value.trim() === '' && o && o.value !== '';
  }
  function check(inp) {
    var hint = inp.parentNode.querySelector('.hint');
    var t = inp.value.trim(), msg = '', bad = false;
    if (t !== '') {
      var v = parse(t);
      if (isNaN(v)) {
        bad = true;
        msg = en ? 'Not a number (e.g. 1,234.5)' : 'Không phải số (ví dụ 1.234,5)';
      } else if (inp.dataset.prev !== undefined) {
        var p = Math.abs(Number(inp.dataset.prev)), a = Math.abs(v);
        if ((p > 0 && a > 10 * p) || (a > 0 && p > 10 * a))
          msg = en ? 'More than tenfold change from the previous period: please check'
                   : 'Thay đổi hơn 10 lần so với kỳ trước: hãy kiểm tra';
      }
    } else if (deleting(inp)) {
      msg = en ? 'Will be deleted on saving: give the reason below' : 'Sẽ xóa số liệu này khi lưu: hãy ghi lý do bên dưới';
    }
    inp.classList.toggle('invalid', bad);
    inp.setCustomValidity(bad ? msg : '');
    if (hint) { hint.textContent = msg; hint.classList.toggle('bad', bad); }
    if (reason) {
      var any = Array.prototype.some.call(form.querySelectorAll('input[name^="v_"]'), deleting);
      reason.required = any;
    }
  }
  form.querySelectorAll('input[name^="v_"]').forEach(function (inp) {
    inp.addEventListener('input', function () { check(inp); });
    check(inp);
  });
})();
