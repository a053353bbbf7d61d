#!/bin/sh
# The certbot service (docker-compose.yml). With LETSENCRYPT_EMAIL set and SERVER_NAME a domain
# that points at this server (ports 80 and 443 open to the internet), obtains a Let's Encrypt
# certificate through nginx's /.well-known/acme-challenge/ and renews it twice a day when it is
# due; each new certificate is copied to the certs volume, which nginx reloads within 5 minutes.
# Without LETSENCRYPT_EMAIL (a LAN address) it only keeps its heartbeat: nginx uses the
# self-signed certificate the certs service made.
set -u
while :; do
  if [ -n "${LETSENCRYPT_EMAIL:-}" ]; then
    certbot certonly --webroot -w /var/www/certbot -d "$SERVER_NAME" -m "$LETSENCRYPT_EMAIL" \
      --agree-tos --non-interactive --keep-until-expiring \
      --deploy-hook 'cp -L "$RENEWED_LINEAGE/fullchain.pem" "$RENEWED_LINEAGE/privkey.pem" /certs/' \
      || echo "certbot: no certificate this time; is $SERVER_NAME's DNS pointing here, port 80 open?"
  fi
  touch /tmp/heartbeat
  sleep 43200
done
