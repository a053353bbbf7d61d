#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts (mounted into /docker-entrypoint.d/):
# leaves a loop in the background that reloads nginx when the certificate file changes (certbot
# renewed it, or replaced the first self-signed one), checked every 5 minutes.
certificate=/etc/nginx/certs/fullchain.pem
(
  last=$(stat -c %Y "$certificate" 2>/dev/null || echo none)
  while sleep 300; do
    now=$(stat -c %Y "$certificate" 2>/dev/null || echo none)
    if [ "$now" != "$last" ]; then
      nginx -s reload && echo "reload-on-new-certificate: nginx reloaded ($certificate changed)"
      last=$now
    fi
  done
) &
