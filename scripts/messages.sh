#!/usr/bin/env bash
# Regenerates locale/lo/LC_MESSAGES/django.po from the sources, keeps every existing translation,
# fills new entries from the compendia in locale/compendium/*.po (where each part of the code keeps
# its Lao strings), then compiles. Fails if any string is left without a Lao translation.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEBUG=${DEBUG:-true}
PO=locale/lo/LC_MESSAGES/django.po
$PY manage.py makemessages -l lo --no-obsolete --no-location \
  --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*' >/dev/null
$PY manage.py makemessages -d djangojs -l lo --no-obsolete --no-location \
  --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*' --ignore='static/vendor/*' >/dev/null || true
# makemessages guesses "fuzzy" translations from similar strings; a guess is never shipped: empty
# them so the compendia (or a translator) give the real one.
for po in $PO locale/lo/LC_MESSAGES/djangojs.po; do
  [ -f "$po" ] && msgattrib --clear-fuzzy --empty -o "$po" "$po"
done
compendia=$(ls locale/compendium/*.po 2>/dev/null || true)
if [ -n "$compendia" ]; then
  msgcat --use-first -o /tmp/readiness-compendium.$$.po $compendia
  for po in $PO locale/lo/LC_MESSAGES/djangojs.po; do
    [ -f "$po" ] || continue
    msgmerge -q --no-fuzzy-matching --no-location --compendium /tmp/readiness-compendium.$$.po -o "$po" "$po" "$po"
  done
  rm -f /tmp/readiness-compendium.$$.po
fi
missing=0
for po in $PO locale/lo/LC_MESSAGES/djangojs.po; do
  [ -f "$po" ] || continue
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1 | tail -n 1)
  echo "$po: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      missing=1
      echo "Lao translations missing in $po (add them to a locale/compendium/*.po file):"
      msgattrib --untranslated "$po" | grep -A1 '^msgid' | grep -v '^--' | head -40
      ;;
  esac
done
$PY manage.py compilemessages -l lo >/dev/null
# A page in Lao with an English sentence is a bug: CI runs this and fails on any gap.
exit $missing
