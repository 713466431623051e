/* worker.h — one worker process: N threads accepting on the shared socket. */
#ifndef VS_WORKER_H
#define VS_WORKER_H

#include "platform/config.h"

/* Runs until SIGTERM/SIGINT, then lets in-flight requests finish; returns the
 * process exit code. */
int worker_run(const vs_config *cfg, int listen_fd);

#endif
