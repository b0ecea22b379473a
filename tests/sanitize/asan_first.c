/*
 * Preloaded after the ASan runtime into the (uninstrumented) postgres
 * binary by tests/sanitize.sh. ASan initializes on the first malloc; in
 * postgres that happens inside a library constructor's bindtextdomain(),
 * which holds glibc's gettext lock while ASan's initialization calls
 * dlerror(), which takes the same lock: postgres hangs at startup. Making
 * that first malloc here, before the real bindtextdomain() takes the lock,
 * lets ASan initialize outside it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

char *bindtextdomain(const char *domain, const char *dir);

char *bindtextdomain(const char *domain, const char *dir)
{
	static char *(*real) (const char *, const char *);
	void	   *volatile first = malloc(1);

	free(first);
	if (real == NULL)
		real = (char *(*) (const char *, const char *)) dlsym(RTLD_NEXT, "bindtextdomain");
	return real(domain, dir);
}
