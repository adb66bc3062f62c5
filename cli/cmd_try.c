/* cmd_try.c — `newsarc try` (not implemented yet: a placeholder so the
 * command table links; its owner replaces this file). */
#include "cli/cmd.h"

#include <string.h>

int cmd_try(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: newsarc try (not implemented yet)\n");
        return CMD_OK;
    }
    fprintf(stderr, "newsarc try: not implemented yet\n");
    return CMD_USAGE;
}
