#!/usr/bin/env bash
# Validate docker-compose.yml without a Docker engine: Debian's docker-compose (1.29)
# resolves the file with .env.example's settings (plus dummy secrets) and checks it
# against the Compose schema; it must also refuse to start without the secrets. If
# hadolint is installed, the Dockerfile is linted too (it is skipped otherwise).
# CI calls this; it installs docker-compose with apt-get when it is missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "== installing Debian's docker-compose"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker-compose >/dev/null
fi
docker-compose version --short

# The compose file reads .env (env_file), so check a copy of the stack in a scratch
# folder, with .env made from .env.example; the checkout's own .env is never touched.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp docker-compose.yml Dockerfile "$scratch/"
cp -r deploy "$scratch/deploy"

echo "== docker-compose config refuses to run without the secrets"
cp .env.example "$scratch/.env"
if (cd "$scratch" && docker-compose config -q) 2>"$scratch/refusal.txt"; then
  echo "docker-compose.yml resolves without ENTENTE_SECRET_KEY/POSTGRES_PASSWORD set" >&2
  exit 1
fi
grep -q "ENTENTE_SECRET_KEY\|POSTGRES_PASSWORD" "$scratch/refusal.txt" || {
  cat "$scratch/refusal.txt" >&2
  exit 1
}

echo "== docker-compose config with .env.example and dummy secrets"
sed -e 's/^ENTENTE_SECRET_KEY=$/ENTENTE_SECRET_KEY=ci-dummy-secret/' \
    -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=ci-dummy-password/' \
    .env.example >"$scratch/.env"
(cd "$scratch" && docker-compose config -q)
services="$(cd "$scratch" && docker-compose config --services | sort | tr '\n' ' ')"
echo "services: $services"
for expected in app1 app2 db migrate proxy redis; do
  case " $services " in
    *" $expected "*) ;;
    *) echo "docker-compose.yml has no service '$expected'" >&2; exit 1 ;;
  esac
done

if command -v hadolint >/dev/null 2>&1; then
  echo "== hadolint Dockerfile"
  hadolint Dockerfile
else
  echo "== hadolint not installed: Dockerfile lint skipped"
fi
echo "docker-compose.yml is valid."
