/* main.c — vs-api entry point: configuration, the listening socket (systemd
 * socket activation or --socket), and the supervisor that keeps N worker
 * processes running, restarts crashed ones and drains them on SIGTERM. */
#include <errno.h>
#include <fcgiapp.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/config.h"
#include "handlers/handlers.h"
#include "platform/log.h"
#include "platform/change_board.h"
#include "platform/live_pub.h"
#include "router.h"
#include "stats.h"
#include "worker.h"

#define MAX_WORKERS 64

static void usage(FILE *to)
{
    fprintf(to,
            "usage: vs-api [--config FILE] [--socket PATH] [--workers N] [--threads M] [--check-config]\n"
            "       vs-api --routes\n"
            "  FastCGI worker pool of the VictorySync REST API.\n"
            "  Listens on the systemd-activated socket (LISTEN_FDS) or on --socket\n"
            "  (a unix socket path, or :PORT / HOST:PORT for TCP).\n"
            "  SIGTERM: finish in-flight requests, then exit 0.\n"
            "  --check-config: validate the configuration (file, VS_* environment,\n"
            "  $CREDENTIALS_DIRECTORY), print \"config OK\" and a summary without\n"
            "  secret values, exit 0; or name the bad key and exit 2.\n"
            "  --routes: print the route table as JSON (method, pattern, access and the\n"
            "  declared query parameters of every route) and exit 0; needs no configuration.\n");
}

static int systemd_listen_fd(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    if (!pid || !fds || atol(pid) != (long)getpid() || atoi(fds) < 1)
        return -1;
    return 3; /* SD_LISTEN_FDS_START */
}

/* slot: the worker's index (its place in the shared counters); restart:
 * replacing one that died (vs_worker_restarts_total). */
static pid_t spawn_worker(const vs_config *cfg, int listen_fd, int slot, bool restart)
{
    stats_worker_started(slot, restart); /* before fork: the new worker's gauges start at 0 */
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        stats_worker_attach(slot);
        exit(worker_run(cfg, listen_fd));
    }
    if (pid < 0)
        log_error("supervisor: fork failed: %s", strerror(errno));
    return pid;
}

static int count_alive(const pid_t *pids, int n)
{
    int alive = 0;
    for (int i = 0; i < n; i++)
        alive += pids[i] > 0;
    return alive;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *socket_opt = NULL;
    int workers_opt = 0, threads_opt = 0, check_config = 0;
    static const struct option opts[] = {
        {"check-config", no_argument, 0, 'C'}, {"routes", no_argument, 0, 'R'},
        {"config", required_argument, 0, 'c'}, {"socket", required_argument, 0, 's'},
        {"workers", required_argument, 0, 'w'}, {"threads", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "c:s:w:t:h", opts, NULL)) != -1) {
        switch (o) {
        case 'c': config_path = optarg; break;
        case 's': socket_opt = optarg; break;
        case 'w': workers_opt = atoi(optarg); break;
        case 't': threads_opt = atoi(optarg); break;
        case 'C': check_config = 1; break;
        case 'R': router_print_routes(stdout); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    static vs_config cfg;
    char err[256];
    if (config_load(&cfg, config_path, err, sizeof err) != 0) {
        fprintf(stderr, "vs-api: %s\n", err);
        return 2;
    }
    if (workers_opt > 0 && workers_opt <= MAX_WORKERS)
        cfg.workers = workers_opt;
    if (threads_opt > 0 && threads_opt <= 256)
        cfg.threads = threads_opt;
    if (socket_opt)
        snprintf(cfg.api_socket, sizeof cfg.api_socket, "%s", socket_opt);
    if (config_validate(&cfg, CONFIG_NEED_JWT_SECRET | CONFIG_NEED_MASTER_KEY, err, sizeof err) != 0) {
        fprintf(stderr, "vs-api: %s\n", err);
        return 2;
    }
    if (!prometheus_cidr_list_valid(cfg.metrics_allow_cidr)) {
        fprintf(stderr, "vs-api: config: metrics_allow_cidr must be a list of addresses or CIDRs\n");
        return 2;
    }
    if (check_config) {
        printf("config OK (vs-api %s, file %s)\n", VS_VERSION,
               config_path ? config_path : getenv("VS_CONFIG") ? getenv("VS_CONFIG") : "none");
        config_summary(&cfg, stdout);
        return 0;
    }
    log_set_level(log_level_from_str(cfg.log_level));
    live_pub_init(cfg.live_publish);
    change_board_open(cfg.change_board); /* off (logged) when it cannot be mapped */
    if (cfg.workers > MAX_WORKERS)
        cfg.workers = MAX_WORKERS;

    if (FCGX_Init() != 0) {
        fprintf(stderr, "vs-api: FCGX_Init failed\n");
        return 1;
    }
    int listen_fd = systemd_listen_fd();
    bool activated = listen_fd >= 0;
    if (!activated) {
        listen_fd = FCGX_OpenSocket(cfg.api_socket, 1024);
        if (listen_fd < 0) {
            fprintf(stderr, "vs-api: cannot listen on %s: %s\n", cfg.api_socket, strerror(errno));
            return 1;
        }
        if (cfg.api_socket[0] == '/')
            chmod(cfg.api_socket, 0660);
    }

    /* The supervisor takes its signals synchronously. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    stats_init(); /* shared counters: mapped before the workers fork */
    pid_t pids[MAX_WORKERS] = {0};
    time_t started[MAX_WORKERS] = {0};
    for (int i = 0; i < cfg.workers; i++) {
        pids[i] = spawn_worker(&cfg, listen_fd, i, false);
        started[i] = time(NULL);
    }
    stats_set_workers(cfg.workers, count_alive(pids, cfg.workers));
    log_info("vs-api %s: supervisor %d, %d workers x %d threads on %s", VS_VERSION, (int)getpid(),
             cfg.workers, cfg.threads, activated ? "systemd socket" : cfg.api_socket);

    int stopping = 0;
    for (;;) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&mask, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT) {
            stopping = 1;
            break;
        }
        /* reap and respawn (SIGCHLD or periodic check) */
        pid_t dead;
        int status;
        while ((dead = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int i = 0; i < cfg.workers; i++) {
                if (pids[i] != dead)
                    continue;
                if (WIFSIGNALED(status))
                    log_error("supervisor: worker %d killed by signal %d; restarting", (int)dead, WTERMSIG(status));
                else
                    log_error("supervisor: worker %d exited with %d; restarting", (int)dead, WEXITSTATUS(status));
                if (time(NULL) - started[i] < 1)
                    sleep(1); /* crash loop: slow down */
                pids[i] = 0;
                stats_set_workers(cfg.workers, count_alive(pids, cfg.workers));
                pids[i] = spawn_worker(&cfg, listen_fd, i, true);
                started[i] = time(NULL);
                stats_set_workers(cfg.workers, count_alive(pids, cfg.workers));
            }
        }
    }
    (void)stopping;
    log_info("supervisor: stopping %d workers", cfg.workers);
    for (int i = 0; i < cfg.workers; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGTERM);
    for (int i = 0; i < cfg.workers; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
    if (!activated && cfg.api_socket[0] == '/')
        unlink(cfg.api_socket);
    log_info("supervisor: all workers stopped");
    return 0;
}
