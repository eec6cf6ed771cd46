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
 * "e8k-rate 2 NEXT" and E8K_RATE_HOSTS slots " HOST START UNTIL", then
 * "\n": the next free request slot, and per host (a 64-bit key of its
 * authority, 16 hex digits) the pause a server there asked for; times in
 * microseconds since the epoch, 20 digits. Wall-clock time, unlike
 * e8k_now(), means the same in every process and survives a reboot of a
 * persistent cache directory. A pause is the host's that asked: another
 * host's transfers go on. */
#define RATE_MAGIC "e8k-rate 2"
#define RATE_SLOT_LEN (1 + 16 + 1 + 20 + 1 + 20)
#define RATE_LINE_LEN (sizeof RATE_MAGIC - 1 + 1 + 20 + \
                       E8K_RATE_HOSTS * RATE_SLOT_LEN + 1)

typedef struct host_pause {
    unsigned long long host; /* 0: a free slot */
    long long start;         /* when a server's "slow down" was recorded */
    long long until;         /* no request to that host before this */
} host_pause;

typedef struct rate_state {
    long long next; /* the next free slot */
    host_pause pauses[E8K_RATE_HOSTS];
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
    rate_state s;
    memset(&s, 0, sizeof s);
    char buf[RATE_LINE_LEN + 64];
    ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
    const long long lead = (long long)E8K_RATE_MAX_LEAD_S * 1000000LL;
    const long long longest = (long long)E8K_RATE_MAX_PAUSE_S * 1000000LL;
    if (got < (ssize_t)RATE_LINE_LEN)
        return s;
    buf[got] = '\0';
    if (strncmp(buf, RATE_MAGIC " ", sizeof RATE_MAGIC) != 0)
        return s;
    char *p = buf + sizeof RATE_MAGIC, *end;
    errno = 0;
    long long next = strtoll(p, &end, 10);
    if (errno || end == p || next < 0)
        return s;
    rate_state r;
    memset(&r, 0, sizeof r);
    r.next = next <= now + lead ? next : 0;
    for (int i = 0; i < E8K_RATE_HOSTS; i++) {
        p = end;
        unsigned long long host = strtoull(p, &end, 16);
        long long a = strtoll(end, &end, 10), b = strtoll(end, &end, 10);
        if (errno || *end != (i == E8K_RATE_HOSTS - 1 ? '\n' : ' ') ||
            a < 0 || b < 0)
            return s;
        if (host && a <= now + lead && b >= a && b - a <= longest)
            r.pauses[i] = (host_pause){host, a, b};
    }
    return r;
}

static int write_state(int fd, const rate_state *s)
{
    char line[RATE_LINE_LEN + 1];
    int len = snprintf(line, sizeof line, RATE_MAGIC " %020lld", s->next);
    for (int i = 0; i < E8K_RATE_HOSTS && len > 0; i++) {
        const host_pause *h = &s->pauses[i];
        len += snprintf(line + len, sizeof line - (size_t)len,
                        " %016llx %020lld %020lld", h->host, h->start,
                        h->until);
    }
    if (len != (int)RATE_LINE_LEN - 1)
        return -1;
    line[len++] = '\n';
    return pwrite(fd, line, RATE_LINE_LEN, 0) == (ssize_t)RATE_LINE_LEN ? 0
                                                                         : -1;
}

/* The pause recorded for `host`, or NULL. */
static const host_pause *pause_of(const rate_state *s,
                                  unsigned long long host)
{
    for (int i = 0; i < E8K_RATE_HOSTS; i++)
        if (s->pauses[i].host == host && host)
            return &s->pauses[i];
    return NULL;
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
                     unsigned long long host, double *pause, char *why,
                     size_t n)
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
    const host_pause *hp = pause_of(&s, host);
    long long until = hp ? hp->until : 0;
    /* Another process's pause is honoured as far as ours would be. */
    if (hp && until > hp->start + (long long)(max_pause * 1e6))
        until = hp->start + (long long)(max_pause * 1e6);
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

void e8k_rate_pause(e8k_rate_share *r, double now, double until,
                    unsigned long long host)
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
    /* The host's own slot, else a free or ended one, else the one that
     * ends first: a pause forgotten early costs a 429, one kept late
     * costs time, and E8K_RATE_HOSTS hosts at once are not seen. */
    host_pause *slot = NULL;
    for (int i = 0; i < E8K_RATE_HOSTS && !slot; i++)
        if (s.pauses[i].host == host)
            slot = &s.pauses[i];
    for (int i = 0; i < E8K_RATE_HOSTS && !slot; i++)
        if (!s.pauses[i].host || s.pauses[i].until <= real)
            slot = &s.pauses[i];
    if (!slot) {
        slot = &s.pauses[0];
        for (int i = 1; i < E8K_RATE_HOSTS; i++)
            if (s.pauses[i].until < slot->until)
                slot = &s.pauses[i];
    }
    if (slot->host != host || end > slot->until) {
        *slot = (host_pause){host, real, end};
        (void)write_state(r->fd, &s);
    }
    flock(r->fd, LOCK_UN);
}
