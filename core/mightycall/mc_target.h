/* mc_target.h — where MightyCall requests may go (the SSRF guard of an
 * integration's base_url; docs/sync.md "Where requests may go").
 *   - the host must be api.mightycall.com, ccapi.mightycall.com or one named
 *     in the config key mc_allowed_hosts (comma-separated host names or IP
 *     literals, compared case-insensitively);
 *   - http:// only with mc_allow_http (the loopback simulator);
 *   - every address the host resolves to is checked: loopback is allowed only
 *     with mc_allow_http or mc_allow_private, private (10/8, 172.16/12,
 *     192.168/16, 100.64/10), link-local (169.254/16, fe80::/10), unique-local
 *     (fc00::/7), unspecified, multicast and reserved addresses only with
 *     mc_allow_private;
 *   - the checked addresses are pinned for the connection (CURLOPT_RESOLVE),
 *     so a second DNS answer cannot point the request elsewhere. */
#ifndef VS_MC_TARGET_H
#define VS_MC_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "platform/config.h"

/* Is host (no port, no brackets; case-insensitive) an allowed MightyCall host? */
bool mc_host_allowed(const vs_config *cfg, const char *host);

/* Is this resolved address an allowed destination? */
bool mc_addr_allowed(const struct sockaddr *sa, bool allow_loopback, bool allow_private);

/* base_url (as normalised by mc_base_url_valid): host allowed and scheme
 * allowed, without resolving. false with *reason for a 400. */
bool mc_base_url_allowed(const vs_config *cfg, const char *base_url, const char **reason);

/* Resolve base_url's host, check the host and every address, and write the
 * CURLOPT_RESOLVE entry "host:port:addr[,addr…]" into out. 0 = OK; -1 = not
 * allowed or not resolvable (the reason, for logs only, in why). */
int mc_target_pin(const vs_config *cfg, const char *base_url, char *out, size_t outsz, const char **why);

#endif
