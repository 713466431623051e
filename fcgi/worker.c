/* worker.c — owns the threads of one worker process and graceful draining.
 *
 * The threads wait together for connections with a request waiting, new or
 * kept open by nginx (dispatch.c); the thread that gets one reads the request
 * with libfcgi (FCGX_Accept_r on that descriptor), serves it, and hands a
 * connection nginx keeps back to the set, so no thread waits on one idle
 * connection. SIGTERM is taken by the process's main thread (sigwait): it
 * sets `stopping`, stops accepting (the other workers take new connections),
 * lets nginx's kept connections be used or closed (nginx closes idle ones
 * after its upstream keepalive_timeout, busy ones after keepalive_time), then
 * makes the waiting threads leave. A thread busy with a request finishes it,
 * writes the response and exits; one still reading a request is nudged with
 * SIGUSR1 (a no-op handler without SA_RESTART, so the blocked read returns
 * EINTR). */
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "platform/db.h"
#include "platform/log.h"
#include "request.h"

#define DRAIN_TIMEOUT_S 25

struct thread_slot {
    pthread_t tid;
    atomic_int idle;
    atomic_int done;
};

static atomic_int stopping;
static const vs_config *worker_cfg;
static dispatch *worker_dispatch;

static void on_nudge(int sig) { (void)sig; }

/* Finish a request and close its connection. libfcgi closes with a
 * "lingering close" — shutdown, a poll of up to 2 s until nginx closes its
 * side, a read — because closing a socket with unread input makes the kernel
 * reset the connection, and nginx could lose the answer. When the input was
 * read to its end (the body, if any, read whole, and the end of FCGI_STDIN,
 * which nginx sends right behind it), nothing is unread: the connection is
 * closed at once (FCGX_Detach makes FCGX_Free skip the shutdown), three
 * system calls fewer per request, and the thread does not wait for nginx. */
static void finish_request(FCGX_Request *fr, bool input_whole)
{
    if (input_whole && fr->in && !fr->keepConnection && FCGX_GetChar(fr->in) == EOF && !FCGX_GetError(fr->in))
        FCGX_Detach(fr);
    FCGX_Finish_r(fr);
}

static void *thread_main(void *arg)
{
    struct thread_slot *slot = arg;
    FCGX_Request fr;
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);

    /* no listening socket: libfcgi reads the request from the connection
     * handed over, and when that connection turns out closed it returns an
     * error instead of accepting one itself */
    FCGX_InitRequest(&fr, -1, FCGI_FAIL_ACCEPT_ON_INTR);
    for (;;) {
        int fd = dispatch_take(worker_dispatch);
        if (fd < 0)
            break;
        atomic_store(&slot->idle, 1);
        fr.ipcFd = fd;
        fr.keepConnection = 1; /* FCGX_Accept_r first finishes the (empty) previous request: keep fd */
        int rc = FCGX_Accept_r(&fr);
        atomic_store(&slot->idle, 0);
        if (rc < 0) { /* closed by nginx (or unreadable): libfcgi closed it */
            fr.ipcFd = -1;
            dispatch_closed(worker_dispatch);
            continue;
        }
        finish_request(&fr, request_serve(&fr, worker_cfg));
        if (fr.ipcFd >= 0) { /* nginx keeps the connection: watch it for the next request */
            int kept = fr.ipcFd;
            fr.ipcFd = -1;
            dispatch_keep(worker_dispatch, kept);
        } else {
            dispatch_closed(worker_dispatch);
        }
    }
    FCGX_Free(&fr, 1);
    db_thread_release();
    atomic_store(&slot->done, 1);
    return NULL;
}

int worker_run(const vs_config *cfg, int listen_fd)
{
    worker_cfg = cfg;
    int nthreads = cfg->threads;

    struct sigaction sa = {0};
    sa.sa_handler = on_nudge; /* no SA_RESTART: blocked syscalls return EINTR */
    sigaction(SIGUSR1, &sa, NULL);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);

    if (FCGX_Init() != 0) {
        log_error("worker: FCGX_Init failed");
        return 1;
    }
    worker_dispatch = dispatch_start(listen_fd);
    if (!worker_dispatch)
        return 1;
    struct thread_slot *slots = calloc((size_t)nthreads, sizeof *slots);
    if (!slots)
        return 1;
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&slots[i].tid, NULL, thread_main, &slots[i]) != 0) {
            log_error("worker: cannot start thread %d", i);
            nthreads = i;
            atomic_store(&stopping, 1);
            break;
        }
    }
    log_info("worker: %d threads serving", nthreads);

    sigset_t wait_for;
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGTERM);
    sigaddset(&wait_for, SIGINT);
    int sig = 0;
    while (!atomic_load(&stopping) && sigwait(&wait_for, &sig) != 0)
        ;
    atomic_store(&stopping, 1);
    log_info("worker: signal %d, draining in-flight requests", sig);

    /* no new connections here; nginx's kept ones are served until it closes
     * them (its upstream keepalive_timeout and keepalive_time are well below
     * DRAIN_TIMEOUT_S); waiting threads leave within their wait slice */
    dispatch_drain(worker_dispatch);
    time_t deadline = time(NULL) + DRAIN_TIMEOUT_S;
    while (dispatch_open(worker_dispatch) > 0 && time(NULL) <= deadline)
        usleep(50 * 1000);
    dispatch_quit(worker_dispatch);
    for (;;) {
        int alive = 0;
        for (int i = 0; i < nthreads; i++) {
            if (atomic_load(&slots[i].done))
                continue;
            alive++;
            if (atomic_load(&slots[i].idle))
                pthread_kill(slots[i].tid, SIGUSR1);
        }
        if (!alive || time(NULL) > deadline + 2)
            break;
        usleep(50 * 1000);
    }
    int stuck = 0;
    for (int i = 0; i < nthreads; i++) {
        if (atomic_load(&slots[i].done))
            pthread_join(slots[i].tid, NULL);
        else
            stuck++;
    }
    free(slots);
    if (!stuck)
        dispatch_free(worker_dispatch);
    if (stuck)
        log_warn("worker: %d threads still busy after %d s; exiting anyway", stuck, DRAIN_TIMEOUT_S);
    else
        log_info("worker: drained, exiting");
    return 0;
}
