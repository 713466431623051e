/* worker.c — owns the threads of one worker process and graceful draining.
 *
 * Each thread loops on FCGX_Accept_r with FCGI_FAIL_ACCEPT_ON_INTR. SIGTERM
 * is taken by the process's main thread (sigwait); it sets `stopping` and
 * nudges idle threads with SIGUSR1 (a no-op handler without SA_RESTART, so a
 * blocked accept/read returns EINTR). A thread busy with a request finishes
 * it, writes the response, then sees `stopping` and exits. */
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
static int worker_listen_fd;

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

    FCGX_InitRequest(&fr, worker_listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    while (!atomic_load(&stopping)) {
        atomic_store(&slot->idle, 1);
        int rc = FCGX_Accept_r(&fr);
        atomic_store(&slot->idle, 0);
        if (rc < 0) {
            if (atomic_load(&stopping))
                break;
            if (rc != -EINTR && rc != -EAGAIN)
                usleep(10 * 1000); /* transient accept error: do not spin */
            continue;
        }
        finish_request(&fr, request_serve(&fr, worker_cfg));
    }
    FCGX_Free(&fr, 1);
    db_thread_release();
    atomic_store(&slot->done, 1);
    return NULL;
}

int worker_run(const vs_config *cfg, int listen_fd)
{
    worker_cfg = cfg;
    worker_listen_fd = listen_fd;
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

    time_t deadline = time(NULL) + DRAIN_TIMEOUT_S;
    for (;;) {
        int alive = 0;
        for (int i = 0; i < nthreads; i++) {
            if (atomic_load(&slots[i].done))
                continue;
            alive++;
            if (atomic_load(&slots[i].idle))
                pthread_kill(slots[i].tid, SIGUSR1);
        }
        if (!alive || time(NULL) > deadline)
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
    if (stuck)
        log_warn("worker: %d threads still busy after %d s; exiting anyway", stuck, DRAIN_TIMEOUT_S);
    else
        log_info("worker: drained, exiting");
    return 0;
}
