/* dispatch.h — the FastCGI connections of one worker process, handed to its
 * threads one request at a time (docs/architecture.md "Kept-alive FastCGI
 * connections").
 *
 * nginx keeps its connections to the workers open between requests
 * (fastcgi_keep_conn on, upstream keepalive). libfcgi alone would block a
 * thread on each kept connection while nginx leaves it idle, so connections
 * waiting to be accepted starve behind idle ones. Here the threads of a
 * worker wait together in one epoll set that holds the listening socket and
 * every idle kept connection, each armed for one event at a time
 * (EPOLLONESHOT): the thread that wakes accepts the new connection or takes
 * the kept one and serves its request itself, then re-arms it. A thread
 * never waits on one idle connection, and no thread hands work to another. */
#ifndef VS_DISPATCH_H
#define VS_DISPATCH_H

typedef struct dispatch dispatch;

/* Watch listen_fd (made non-blocking); NULL on failure. */
dispatch *dispatch_start(int listen_fd);

/* For a serving thread: wait for the next connection with a request waiting
 * (new, or kept) and return it; -1 once dispatch_quit was called. */
int dispatch_take(dispatch *d);

/* A served connection that nginx keeps open: watch it for its next request
 * (also during a drain: nginx may send one more before it closes it). */
void dispatch_keep(dispatch *d, int fd);

/* A connection taken with dispatch_take was closed (by libfcgi). */
void dispatch_closed(dispatch *d);

/* Stop accepting new connections (other workers take them); kept ones are
 * still served until nginx closes them. */
void dispatch_drain(dispatch *d);

/* Connections open in this worker: being served or kept idle. */
int dispatch_open(dispatch *d);

/* Make dispatch_take return -1 (within its wait slice). */
void dispatch_quit(dispatch *d);

/* Once the serving threads have ended (the process exits next: idle kept
 * connections close with it). */
void dispatch_free(dispatch *d);

#endif
