/* cmd_extract.c — `newsarc extract` (not implemented yet: a placeholder so the
 * command table links; its owner replaces this file). */
#include "cli/cmd.h"

#include <string.h>

int cmd_extract(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: newsarc extract (not implemented yet)\n");
        return CMD_OK;
    }
    fprintf(stderr, "newsarc extract: not implemented yet\n");
    return CMD_USAGE;
}
