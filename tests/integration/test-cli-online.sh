#!/bin/sh
# test-cli-online.sh: psf through a real key server, with each person's
# session in their own unlocked gnome-keyring on their own D-Bus session.
#
#   test-cli-online.sh PSF PHOTOSEAL-KEYSERVER AGE-PLUGIN-PHOTOSEAL SAMPLE-PHOTO
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

psf=$(readlink -f "$1")
keyserver=$(readlink -f "$2")
plugin_dir=$(dirname "$(readlink -f "$3")")
sample=$(readlink -f "$4")
with_keyring=$(cd "$(dirname "$0")/.." && pwd)/with-keyring
for tool in dbus-daemon gnome-keyring-daemon secret-tool exiftool age tar; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

work=$(mktemp -d)
servers=""
cleanup() {
  for pid in $servers; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  for file in "$work"/bus-pid-*; do [ -f "$file" ] && kill "$(cat "$file")" 2>/dev/null; done
  for pid in $(pgrep -f gnome-keyring-daemon 2>/dev/null); do
    grep -qa "$work" "/proc/$pid/environ" 2>/dev/null && kill "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# start_server NAME [OPTION…]: a key server with its own data folder; sets
# $origin. (Not in a command substitution: the pid must reach the cleanup.)
start_server() {
  name=$1; shift
  "$keyserver" --listen 127.0.0.1:0 --data-dir "$work/$name" "$@" \
    > "$work/$name.out" 2> "$work/$name.log" &
  servers="$servers $!"
  for _ in $(seq 100); do
    grep -q 'listening on' "$work/$name.out" 2>/dev/null && break
    sleep 0.05
  done
  origin=$(sed -n 's|.*listening on \(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$work/$name.out")
}

# as USER COMMAND…: runs COMMAND with USER's home, D-Bus session and
# keyring. Each person has one session bus and one keyring daemon for the
# whole test, as on a desktop: a daemon per command raced its own loading
# of the keyring file (a command could find no session that was there).
as() {
  user=$1; shift
  home="$work/home-$user"
  if [ ! -f "$work/bus-$user" ]; then
    mkdir -p "$home"
    HOME="$home" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
      dbus-daemon --session --fork --print-address=3 --print-pid=4 \
      3> "$work/bus-$user" 4> "$work/bus-pid-$user"
    HOME="$home" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
      DBUS_SESSION_BUS_ADDRESS=$(cat "$work/bus-$user") "$with_keyring" true \
      || fail "no unlocked keyring for $user"
  fi
  HOME="$home" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
    DBUS_SESSION_BUS_ADDRESS=$(cat "$work/bus-$user") "$@" 2> "$work/stderr" > "$work/stdout"
  status=$?
  grep -v 'dbus-daemon\[' "$work/stderr" > "$work/err" || true
  [ -n "${VERBOSE:-}" ] && cat "$work/err"
  return $status
}

expect() {
  # expect STATUS DESCRIPTION -- as USER COMMAND…
  want=$1; what=$2; shift 3
  "$@"
  got=$?
  if [ "$got" = "$want" ]; then
    ok "$what"
  else
    fail "$what: exit $got, expected $want"
    cat "$work/err"
  fi
}

start_server server
for user in alice bob carol; do
  PHOTOSEAL_PASSWORD="correct horse $user" "$keyserver" --data-dir "$work/server" \
    user add "$user@example.org" >/dev/null || fail "adding $user"
done

for user in alice bob carol; do
  PHOTOSEAL_PASSWORD="correct horse $user" \
    expect 0 "$user signs in" -- \
      as "$user" "$psf" login --server "$origin" --email "$user@example.org"
done
PHOTOSEAL_PASSWORD="wrong password!" \
  expect 3 "a wrong password is refused" -- \
    as dave "$psf" login --server "$origin" --email alice@example.org

# The keyring keeps a session and a device key, never the password.
as alice secret-tool search --all xdg:schema io.github.photoseal.Account
grep -q '"token"' "$work/stdout" || fail "the keyring has no session for alice"
grep -q 'correct horse' "$work/stdout" && fail "the keyring holds alice's password"

for i in 1 2 3; do cp "$sample" "$work/photo-$i.jpg"; done
expect 0 "alice seals three photos to bob, with an access code" -- \
  as alice "$psf" seal --server "$origin" --to bob@example.org --access-code \
    --patient-name "Jo Bloggs" --patient-id MRN-7 --consent written --purpose care \
    -o "$work/x.psf" "$work/photo-1.jpg" "$work/photo-2.jpg" "$work/photo-3.jpg"
code=$(sed -n 's/^Access code: //p' "$work/err")
[ -n "$code" ] || fail "no access code was shown"

expect 0 "bob opens them" -- as bob "$psf" open -o "$work/bob" "$work/x.psf"
for i in 1 2 3; do
  [ -f "$work/bob/x/photos/0$i-photo-$i.jpg" ] || fail "bob lacks photo $i"
done
exiftool -s -GPSPosition -Make "$work/bob/x/photos/01-photo-1.jpg" | grep -q . \
  && fail "location or camera data survived"
grep -q '"name" *: *"Jo Bloggs"' "$work/bob/x/manifest.json" || fail "the manifest lost the patient"

grep -q 'From: .*alice@example.org> (confirmed by 127.0.0.1)' "$work/stdout" \
  || { fail "bob is not shown alice as the confirmed sender"; cat "$work/stdout"; }
grep -q 'WARNING: the file says' "$work/stdout" && fail "bob is warned about a true sender"
expect 0 "bob inspects it" -- as bob "$psf" inspect "$work/x.psf"
grep -q 'From: confirmed by 127.0.0.1 when the file is opened' "$work/stdout" \
  || fail "inspect does not say the sender is confirmed on opening"

# The sender in the file is the sealer's claim; the key server's owner is
# what is shown, with a warning naming both when they differ.
expect 0 "alice seals with a forged sender" -- \
  as alice "$psf" seal --server "$origin" --to bob@example.org --no-patient --consent not-needed \
    --sender-name 'Prof. Head of Dermatology' --sender-email head.derm@example.org \
    -o "$work/forged.psf" "$work/photo-1.jpg"
expect 0 "bob opens the forged file" -- as bob "$psf" open -o "$work/bob-forged" "$work/forged.psf"
grep -q 'From: .*<alice@example.org> (confirmed by 127.0.0.1)' "$work/stdout" \
  || { fail "the forged file does not show the verified owner"; cat "$work/stdout"; }
forged='WARNING: the file says it is from Prof. Head of Dermatology <head.derm@example.org>, '
forged="${forged}but 127.0.0.1 confirms it was sealed by .*alice@example.org"
grep -q "$forged" "$work/stdout" \
  || { fail "the forged sender is not warned about"; cat "$work/stdout"; }

# A typo is caught before sealing: no account, no file, unless confirmed.
expect 1 "sealing for an unknown address is refused" -- \
  as alice "$psf" seal --server "$origin" --to bob@exmaple.org --no-patient --consent not-needed \
    -o "$work/typo.psf" "$work/photo-1.jpg"
grep -q 'bob@exmaple.org: No account: use an access code' "$work/err" \
  || { fail "the unknown address is not named"; cat "$work/err"; }
grep -q 'confirm with --yes' "$work/err" || fail "the refusal does not say how to go on"
[ -e "$work/typo.psf" ] && fail "a refused seal wrote a file"
expect 0 "--yes seals for it all the same" -- \
  as alice "$psf" seal --server "$origin" --to bob@exmaple.org --yes --no-patient \
    --consent not-needed -o "$work/typo.psf" "$work/photo-1.jpg"
grep -qx 'No account: bob@exmaple.org (they need an account to open it)' "$work/err" \
  || { fail "the sealer is not told bob@exmaple.org was not reached"; cat "$work/err"; }

expect 3 "carol, not named, is refused" -- as carol "$psf" open -o "$work/carol" "$work/x.psf"
grep -q 'did not name' "$work/err" || fail "carol is not told she was not named"

expect 0 "someone without an account opens with the access code" -- \
  as dave "$psf" open --access-code "$code" -o "$work/dave" "$work/x.psf"
for i in 1 2 3 4 5; do
  expect 3 "wrong access code $i" -- \
    as dave "$psf" open --access-code 22222-22222 -o "$work/dave2" "$work/x.psf"
done
expect 3 "locked after five wrong codes" -- \
  as dave "$psf" open --access-code "$code" -o "$work/dave3" "$work/x.psf"
grep -qi 'too many' "$work/err" || fail "the lock is not explained"

expect 0 "alice opens her own file" -- as alice "$psf" open -o "$work/alice" "$work/x.psf"
expect 0 "alice lists her keys" -- as alice "$psf" keys --server "$origin"
grep -q 'active' "$work/stdout" || fail "psf keys shows no active key"
grep -q 'x.psf: Jo Bloggs (MRN-7), 3 photos' "$work/stdout" \
  || { fail "psf keys does not name the file and patient"; cat "$work/stdout"; }
grep -q 'to: bob@example.org, and anyone with the access code' "$work/stdout" \
  || fail "psf keys does not list the recipients"
# bob and dave opened it; alice's own opening is not counted.
grep -q 'opened 2 time(s) by recipients' "$work/stdout" \
  || { fail "psf keys counts the owner's own opening"; cat "$work/stdout"; }
# The key server never learns the patient; the label file never shows it.
grep -rq 'Jo Bloggs' "$work/server" && fail "the key server's data holds the patient's name"
grep -q 'Jo Bloggs' "$work/home-alice/data/photoseal/labels" && fail "the label store is in clear"
[ "$(stat -c %a "$work/home-alice/data/photoseal/labels")" = 600 ] \
  || fail "the label store is not 0600"
expect 0 "bob has no labels for alice's keys" -- as bob "$psf" keys --server "$origin"
grep -q 'Jo Bloggs' "$work/stdout" && fail "bob sees alice's labels"

# On a pipe, as "curl … | psf open -" gets it: the file is read once, front
# to back, a few bytes at a time (drip.py), and the key is released between
# its header and its payload.
drip="/usr/bin/python3 $(cd "$(dirname "$0")/.." && pwd)/drip.py"
expect 0 "bob opens it from a pipe" -- \
  as bob sh -c "$drip '$work/x.psf' | '$psf' open -o '$work/bob-pipe' -"
for i in 1 2 3; do
  cmp "$work/bob/x/photos/0$i-photo-$i.jpg" "$work/bob-pipe/stdin/photos/0$i-photo-$i.jpg" \
    || fail "photo $i from the pipe differs"
done
grep -q 'From: .*alice@example.org> (confirmed by 127.0.0.1)' "$work/stdout" \
  || { fail "the piped open does not confirm the sender"; cat "$work/stdout"; }
mkfifo "$work/fifo.psf"
$drip "$work/x.psf" > "$work/fifo.psf" &
dripper=$!
expect 0 "bob opens it through a FIFO" -- \
  as bob timeout 60 "$psf" open -o "$work/bob-fifo" "$work/fifo.psf"
kill "$dripper" 2>/dev/null; wait "$dripper" 2>/dev/null
[ -f "$work/bob-fifo/fifo/photos/01-photo-1.jpg" ] || fail "the FIFO open lacks photo 1"
expect 0 "bob inspects it from a pipe" -- as bob sh -c "$drip '$work/x.psf' | '$psf' inspect -"
grep -q "key server   $origin" "$work/stdout" \
  || { fail "inspect - lacks the server"; cat "$work/stdout"; }
size=$(wc -c < "$work/x.psf")
expect 4 "a stream cut short on a pipe is damaged" -- \
  as bob sh -c "$drip '$work/x.psf' $((size - 100)) | '$psf' open -o '$work/bob-cut' -"
[ -z "$(ls -A "$work/bob-cut" 2>/dev/null)" ] \
  || { fail "a cut stream left files"; ls -A "$work/bob-cut"; }

expect 0 "alice reads the audit trail" -- as alice "$psf" audit "$work/x.psf"
grep -q 'release  bob@example.org' "$work/stdout" || fail "the audit trail lacks bob's release"
grep -q 'deny     carol@example.org' "$work/stdout" || fail "the audit trail lacks carol's refusal"
expect 0 "alice reads the audit trail of a file on standard input" -- \
  as alice sh -c "'$psf' audit - < '$work/x.psf'"
grep -q 'release  bob@example.org' "$work/stdout" || fail "audit - lacks bob's release"

# The real age CLI opens the same file through age-plugin-photoseal.
expect 0 "bob prints his age identity" -- as bob "$psf" identity --server "$origin"
cp "$work/stdout" "$work/bob-identity.txt"
grep -q '^AGE-PLUGIN-PHOTOSEAL-1' "$work/bob-identity.txt" || fail "no plugin identity printed"
PATH="$plugin_dir:$PATH" expect 0 "age -d opens it with the plugin" -- \
  as bob sh -c "age -d -i '$work/bob-identity.txt' '$work/x.psf' > '$work/by-age.tar'"
first=$(tar tf "$work/by-age.tar" | head -n 1)
[ "$first" = manifest.json ] || fail "age's output does not list manifest.json first"
PATH="$plugin_dir:$PATH" expect 1 "age -d is refused for carol" -- \
  as carol sh -c "'$psf' identity --server '$origin' > '$work/carol-id.txt' &&
                  age -d -i '$work/carol-id.txt' '$work/x.psf' > /dev/null"
grep -q 'did not name' "$work/err" || fail "age does not show carol why"

# Managing after sending, each change audited.
expect 0 "alice adds carol" -- \
  as alice "$psf" update "$work/x.psf" --add-recipient carol@example.org
grep -q 'Recipients: bob@example.org, carol@example.org' "$work/stdout" \
  || fail "carol was not added"
expect 0 "carol, now named, opens it" -- as carol "$psf" open -o "$work/carol-added" "$work/x.psf"
expect 0 "alice removes bob and extends the expiry" -- \
  as alice "$psf" update "$work/x.psf" --remove-recipient BOB@example.org --expires 30d
grep -q 'Recipients: carol@example.org$' "$work/stdout" || fail "bob was not removed"
expect 3 "bob, removed, is refused" -- as bob "$psf" open -o "$work/bob-removed" "$work/x.psf"
expect 0 "alice makes it never expire" -- as alice "$psf" update "$work/x.psf" --expires never
grep -q 'Expires: *never' "$work/stdout" || fail "the expiry was not removed"
expect 0 "alice issues a new access code" -- as alice "$psf" update "$work/x.psf" --new-access-code
new_code=$(sed -n 's/^Access code: //p' "$work/err")
[ -n "$new_code" ] && [ "$new_code" != "$code" ] || fail "no new access code was shown"
expect 3 "the old access code no longer works" -- \
  as dave "$psf" open --access-code "$code" -o "$work/dave-old" "$work/x.psf"
expect 0 "the new access code works" -- \
  as dave "$psf" open --access-code "$new_code" -o "$work/dave-new" "$work/x.psf"
expect 0 "alice removes the access code" -- \
  as alice "$psf" update "$work/x.psf" --remove-access-code
grep -q 'Access code: no' "$work/stdout" || fail "the access code is still there"
expect 3 "no access code opens it any more" -- \
  as dave "$psf" open --access-code "$new_code" -o "$work/dave-removed" "$work/x.psf"
expect 1 "bob cannot change alice's key" -- \
  as bob "$psf" update "$work/x.psf" --server "$origin" --add-recipient bob@example.org
grep -q 'no key with this id' "$work/err" || { fail "bob is not told why"; cat "$work/err"; }
expect 1 "an unknown key id is refused" -- \
  as alice "$psf" update AAAAAAAAAAAAAAAAAAAAAA --server "$origin" --expires 7d
expect 2 "an invalid email is a usage error" -- \
  as alice "$psf" update "$work/x.psf" --add-recipient 'not an email'
expect 2 "removing someone who is not a recipient is refused" -- \
  as alice "$psf" update "$work/x.psf" --remove-recipient dave@example.org
expect 2 "update without a change" -- as alice "$psf" update "$work/x.psf"
expect 0 "alice gives it back to bob alone" -- \
  as alice "$psf" update "$work/x.psf" --add-recipient bob@example.org \
    --remove-recipient carol@example.org
grep -q 'Recipients: bob@example.org$' "$work/stdout" || fail "bob was not given it back"
expect 0 "the updates are in the audit trail" -- as alice "$psf" audit "$work/x.psf"
[ "$(grep -c 'update   alice@example.org' "$work/stdout")" = 6 ] \
  || { fail "the audit trail lacks the six updates"; cat "$work/stdout"; }

expect 0 "alice revokes" -- as alice "$psf" revoke "$work/x.psf"
expect 3 "bob is refused once it is revoked" -- \
  as bob "$psf" open -o "$work/bob-again" "$work/x.psf"
grep -q 'revoked' "$work/err" || fail "bob is not told it was revoked"

expect 0 "alice seals with an expiry in the past" -- \
  as alice "$psf" seal --server "$origin" --to bob@example.org --expires 2020-01-01T00:00:00Z \
    --no-patient --consent not-needed -o "$work/old.psf" "$work/photo-1.jpg"
expect 3 "bob is refused an expired key" -- as bob "$psf" open -o "$work/bob-old" "$work/old.psf"
grep -q 'expired' "$work/err" || fail "bob is not told it expired"

# A file naming a server bob never signed in to: psf asks nothing of it.
main_origin=$origin
start_server other
other=$origin
origin=$main_origin
PHOTOSEAL_PASSWORD="correct horse alice" "$keyserver" --data-dir "$work/other" \
  user add alice@example.org >/dev/null
PHOTOSEAL_PASSWORD="correct horse alice" \
  expect 0 "alice signs in to a second server" -- \
    as alice "$psf" login --server "$other" --email alice@example.org
expect 0 "alice seals to bob on it" -- \
  as alice "$psf" seal --server "$other" --to bob@example.org --yes -o "$work/other.psf" \
    --no-patient --consent not-needed \
    "$work/photo-1.jpg"
expect 3 "bob is stopped before any request" -- \
  as bob "$psf" open -o "$work/bob-other" "$work/other.psf"
grep -q 'nothing was sent' "$work/err" || fail "bob is not told why"
sleep 0.2
grep -q '/release' "$work/other.log" && fail "the unknown server got a release request"

# A server that mails invitations (verified registration, a real SMTP
# relay): after sealing, psf says who was invited and who was not reached.
smtp_server=$(cd "$(dirname "$0")/.." && pwd)/keyserver/smtp-server.py
/usr/bin/python3 "$smtp_server" "$work/mail" "$work/smtp-port" &
relay=$!
servers="$servers $relay"
for _ in $(seq 200); do [ -s "$work/smtp-port" ] && break; sleep 0.05; done
start_server mailing --registration verified --smtp-url "smtp://127.0.0.1:$(cat "$work/smtp-port")" \
  --mail-from keys@hospital.example
mailing=$origin
origin=$main_origin
for user in alice bob; do
  PHOTOSEAL_PASSWORD="correct horse $user" "$keyserver" --data-dir "$work/mailing" \
    user add "$user@example.org" >/dev/null || fail "adding $user to the mailing server"
done
PHOTOSEAL_PASSWORD="correct horse alice" \
  expect 0 "alice signs in to the mailing server" -- \
    as alice "$psf" login --server "$mailing" --email alice@example.org
expect 0 "alice seals for bob and for dora, who has no account" -- \
  as alice "$psf" seal --server "$mailing" --to bob@example.org,dora@example.org --yes \
    --access-code --no-patient --consent not-needed -o "$work/invite.psf" "$work/photo-1.jpg"
grep -qx 'Invited by email: dora@example.org' "$work/err" \
  || { fail "alice is not told dora was invited"; cat "$work/err"; }
grep -q '^Invit.*bob@\|^No account: bob@' "$work/err" && fail "bob, with an account, is reported"
grep -lq 'To: <dora@example.org>' "$work"/mail/new/* 2>/dev/null \
  || fail "dora's invitation is not in the relay's mail"

kill "$relay"; wait "$relay" 2>/dev/null
expect 0 "with the relay down, alice still seals for erin" -- \
  as alice "$psf" seal --server "$mailing" --to erin@example.org --yes --access-code \
    --no-patient --consent not-needed -o "$work/not-sent.psf" "$work/photo-1.jpg"
not_sent='Invitation not sent: erin@example.org (the mail did not go; give them the access code)'
grep -qxF "$not_sent" "$work/err" || { fail "alice is not told erin was not reached"; cat "$work/err"; }
grep -q '^Access code: ' "$work/err" || fail "no access code for erin"

expect 0 "alice signs out" -- as alice "$psf" logout --server "$origin"
expect 3 "signed out means no session" -- as alice "$psf" keys --server "$origin"

echo "$failures failure(s)"
[ "$failures" = 0 ]
