/* fetch_rate.c: the pacing every edgar8k process of one user on one machine
 * shares. The SEC's fair-access limit (10 requests/s) counts all requests
 * of a client together, so a per-process limiter lets two concurrent
 * fetches exceed it. A small state file, read and rewritten under flock(),
 * holds the next free request slot and any pause a server asked for; each
 * process reserves its slot there before a request. The file is only ever
 * advisory: whatever it holds is bounded on reading (a dead or confused
 * writer cannot stall anyone for long), and when it cannot be used the
 * caller falls back to pacing its own process. No curl here. */
#include "fetch_eng.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One line, fixed width so that a rewrite always covers the last one:
 * "e8k-rate 1 NEXT PAUSE_START PAUSE_UNTIL\n", microseconds since the
 * epoch. Wall-clock time, unlike e8k_now(), means the same in every
 * process and survives a reboot of a persistent cache directory. */
#define RATE_MAGIC "e8k-rate 1"
#define RATE_LINE_LEN (sizeof RATE_MAGIC - 1 + 3 * 21 + 1)

typedef struct rate_state {
    long long next;        /* the next free slot */
    long long pause_start; /* when a server's "slow down" was recorded */
    long long pause_until; /* no request before this; 0: no pause */
} rate_state;

static long long real_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Says why the shared state cannot be used; why may be NULL. */
E8K_PRINTF(3, 4)
static void why_set(char *why, size_t n, const char *fmt, ...)
{
    if (!why || !n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

/* ---- Where the state lives ----------------------------------------------- */

/* dir, created (with its parents) private to the user when missing, and
 * usable only if nobody else can replace what is in it. */
static int private_dir(const char *dir, char *why, size_t n)
{
    char p[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof p)
        return why_set(why, n, "%s: bad directory name", dir), -1;
    memcpy(p, dir, len + 1);
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return why_set(why, n, "%s: %s", p, strerror(errno)), -1;
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (lstat(dir, &st) != 0)
        return why_set(why, n, "%s: %s", dir, strerror(errno)), -1;
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 022))
        return why_set(why, n, "%s: not a directory of this user that "
                       "only it can write", dir), -1;
    return 0;
}

/* Opens (creating) the state file at path; `strict` also refuses a
 * symbolic link or another user's file, for the places chosen by default. */
static int open_state(const char *path, int strict, char *why, size_t n)
{
    int flags = O_RDWR | O_CREAT | O_CLOEXEC | (strict ? O_NOFOLLOW : 0);
    int fd = open(path, flags, 0600);
    if (fd < 0)
        return why_set(why, n, "%s: %s", path, strerror(errno)), -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (strict && st.st_uid != geteuid())) {
        close(fd);
        return why_set(why, n, "%s: not a regular file of this user", path), -1;
    }
    return fd;
}

/* The directory part of path, created when missing. */
static int parent_dir(const char *path, char *why, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    char *dir = e8k_strndup(path, (size_t)(slash - path));
    if (!dir)
        return why_set(why, n, "%s: out of memory", path), -1;
    struct stat st;
    int r = 0;
    if (stat(dir, &st) != 0 && private_dir(dir, why, n) != 0)
        r = -1;
    free(dir);
    return r;
}

/* Candidates in order: the session's runtime directory (tmpfs, private),
 * the systemd one when the session did not say (cron jobs), the cache
 * directory, then a private directory in /tmp. Processes agree as long as
 * they see the same first usable place. */
static int open_default(char **path, char *why, size_t n)
{
    char dirs[4][4096];
    size_t k = 0;
    const char *run = getenv("XDG_RUNTIME_DIR");
    const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    unsigned uid = (unsigned)geteuid();
    struct stat st;
    if (run && run[0] == '/')
        snprintf(dirs[k++], sizeof dirs[0], "%s/edgar8k", run);
    else if (snprintf(dirs[k], sizeof dirs[0], "/run/user/%u", uid) > 0 &&
             lstat(dirs[k], &st) == 0 && S_ISDIR(st.st_mode) &&
             st.st_uid == uid)
        snprintf(dirs[k++], sizeof dirs[0], "/run/user/%u/edgar8k", uid);
    if (cache && cache[0] == '/')
        snprintf(dirs[k++], sizeof dirs[0], "%s/edgar8k", cache);
    else if (home && home[0] == '/')
        snprintf(dirs[k++], sizeof dirs[0], "%s/.cache/edgar8k", home);
    snprintf(dirs[k++], sizeof dirs[0], "/tmp/edgar8k-%u", uid);
    for (size_t i = 0; i < k; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s/rate", dirs[i]);
        /* The first place's reason is the telling one; keep it. */
        char *w = i == 0 ? why : NULL;
        int fd = private_dir(dirs[i], w, n) == 0 ? open_state(file, 1, w, n)
                                                 : -1;
        if (fd >= 0 && (*path = strdup(file)) != NULL)
            return fd;
        if (fd >= 0)
            close(fd);
    }
    return -1;
}

int e8k_rate_open(e8k_rate_share *r, const char *path, char *why, size_t n)
{
    r->fd = -1;
    r->path = NULL;
    r->slot = r->busy_since = 0;
    if (!path || !*path)
        path = getenv("E8K_RATE_FILE");
    if (!path || !*path) {
        r->fd = open_default(&r->path, why, n);
        return r->fd >= 0 ? 0 : -1;
    }
    if (!(r->path = strdup(path)))
        return why_set(why, n, "%s: out of memory", path), -1;
    if (parent_dir(path, why, n) == 0)
        r->fd = open_state(path, 0, why, n);
    return r->fd >= 0 ? 0 : -1;
}

void e8k_rate_close(e8k_rate_share *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    free(r->path);
    r->path = NULL;
}

/* ---- The state ---------------------------------------------------------- */

/* Reads the state with every value that no healthy writer could have left
 * bounded away: an unreadable file is a fresh one, a slot farther ahead
 * than E8K_RATE_MAX_LEAD_S (a dead process's, or a clock set back) is
 * ignored, and so is a pause that claims to start in the future or to last
 * longer than E8K_RATE_MAX_PAUSE_S. */
static rate_state read_state(int fd, long long now)
{
    rate_state s = {0, 0, 0};
    char buf[128];
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    const long long lead = (long long)E8K_RATE_MAX_LEAD_S * 1000000LL;
    if (got < (ssize_t)RATE_LINE_LEN)
        return s;
    buf[got] = '\0';
    if (strncmp(buf, RATE_MAGIC " ", sizeof RATE_MAGIC) != 0)
        return s;
    char *p = buf + sizeof RATE_MAGIC, *end;
    long long v[3];
    for (int i = 0; i < 3; i++, p = end + 1) {
        errno = 0;
        v[i] = strtoll(p, &end, 10);
        if (errno || end == p || v[i] < 0 || *end != (i == 2 ? '\n' : ' '))
            return s;
    }
    if (v[0] <= now + lead)
        s.next = v[0];
    if (v[1] <= now + lead && v[2] >= v[1] &&
        v[2] - v[1] <= (long long)E8K_RATE_MAX_PAUSE_S * 1000000LL) {
        s.pause_start = v[1];
        s.pause_until = v[2];
    }
    return s;
}

static int write_state(int fd, const rate_state *s)
{
    char line[RATE_LINE_LEN + 1];
    int len = snprintf(line, sizeof line, RATE_MAGIC " %020lld %020lld "
                       "%020lld\n", s->next, s->pause_start, s->pause_until);
    if (len != (int)RATE_LINE_LEN)
        return -1;
    return pwrite(fd, line, RATE_LINE_LEN, 0) == (ssize_t)RATE_LINE_LEN ? 0
                                                                         : -1;
}

/* Takes the lock without blocking: a holder needs microseconds, so a busy
 * lock only means trying again shortly, and the transfer loop never waits
 * on another process. 1 locked, 0 busy, -1 error. */
static int try_lock(int fd)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 1;
    return errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

double e8k_rate_take(e8k_rate_share *r, double now, double max_pause,
                     double *pause, char *why, size_t n)
{
    *pause = 0;
    if (r->slot > 0) {
        if (now < r->slot)
            return r->slot - now;
        double late = now - r->slot;
        r->slot = 0;
        /* Started much later than reserved, the request could land next
         * to another process's: reserve a new slot instead. */
        if (late <= E8K_RATE_SLOT_GRACE_MS / 1000.0)
            return 0;
    }
    int lk = try_lock(r->fd);
    if (lk < 0) {
        why_set(why, n, "%s: cannot lock: %s", r->path, strerror(errno));
        return -1;
    }
    if (lk == 0) {
        if (r->busy_since == 0)
            r->busy_since = now;
        if (now - r->busy_since <= E8K_RATE_LOCK_TIMEOUT_S)
            return 0.001;
        why_set(why, n, "%s: locked by another process for over %d s "
                "(stopped?)", r->path, E8K_RATE_LOCK_TIMEOUT_S);
        return -1;
    }
    r->busy_since = 0;
    long long real = real_us();
    rate_state s = read_state(r->fd, real);
    long long until = s.pause_until;
    /* Another process's pause is honoured as far as ours would be. */
    if (until > s.pause_start + (long long)(max_pause * 1e6))
        until = s.pause_start + (long long)(max_pause * 1e6);
    double wait = 0;
    if (until > real) {
        wait = (double)(until - real) / 1e6;
        *pause = now + wait;
    } else {
        long long slot = s.next > real ? s.next : real;
        s.next = slot + 1000000LL / E8K_MAX_REQUESTS_PER_SECOND +
                 E8K_RATE_SLOT_GRACE_MS * 1000LL;
        if (write_state(r->fd, &s) != 0) {
            why_set(why, n, "%s: cannot write: %s", r->path, strerror(errno));
            wait = -1;
        } else if (slot > real) {
            wait = (double)(slot - real) / 1e6;
            r->slot = now + wait;
        }
    }
    flock(r->fd, LOCK_UN);
    return wait;
}

void e8k_rate_pause(e8k_rate_share *r, double now, double until)
{
    if (r->fd < 0)
        return;
    /* Best effort, but worth a few tries: other processes that miss the
     * pause would keep the server's patience running out. */
    for (int i = 0; i < 50; i++) {
        int lk = try_lock(r->fd);
        if (lk < 0)
            return;
        if (lk == 1)
            break;
        if (i == 49)
            return;
        nanosleep(&(struct timespec){0, 1000000L}, NULL);
    }
    long long real = real_us();
    /* Cut, not dropped: read_state ignores a longer pause as corrupt. */
    double secs = fmin(fmax(until - now, 0), E8K_RATE_MAX_PAUSE_S);
    long long end = real + (long long)(secs * 1e6);
    rate_state s = read_state(r->fd, real);
    if (end > s.pause_until) {
        s.pause_start = real;
        s.pause_until = end;
        (void)write_state(r->fd, &s);
    }
    flock(r->fd, LOCK_UN);
}
