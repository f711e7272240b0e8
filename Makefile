# SPDX-License-Identifier: GPL-2.0
#
# KAME IPv6 stack for Linux.
#
#   make              modules and tools (installs build dependencies first)
#   make check        build, boot the target kernel in a VM, run every test
#   make check T=pat  only the tests whose path matches the shell glob *pat*
#                     (T=a,b: either)
#   make demo         boot the VM and show the stack working
#   make fuzz         boot the VM and send 1,000,000 malformed packets at a
#                     KAME host (FUZZ_N=, FUZZ_SEED=; make check sends 50,000)
#   make check-debug  the same on a KASAN/kmemleak/lockdep kernel built once
#                     from linux-source-6.1 (build/debug-kernel/, ~30 min),
#                     with 200,000 fuzz packets; hours, not in .ci/run
#   make bench        boot the VM, measure KAME against native IPv6 (not a
#                     test: no thresholds; the table goes to build/bench/);
#                     PROFILE=1 adds perf profiles (build/bench/profile.txt)
#   make install      modules under /lib/modules/<ver>/extra, tools under PREFIX
#   make deb          Debian packages kame-dkms and kame-tools (build/deb/)
#   make deb-check    install them in the VM: DKMS builds, modprobe, tools
#
# KVER= or KDIR= select the target kernel; the default is the newest
# /lib/modules/*/build that has a matching /boot/vmlinuz-*.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
DEPMOD ?= depmod
BUILD := $(CURDIR)/build

KVER ?= $(shell $(CURDIR)/scripts/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build

ifneq ($(V),1)
MAKEFLAGS += --no-print-directory
Q := @
endif
export V

# Targets that need Debian packages run the setup script, then re-enter
# make so that KVER is computed after the kernel package is installed.
ifndef KAME_SETUP_DONE
.PHONY: all modules tools check demo bench fuzz check-debug deb-check
all modules tools check demo bench fuzz check-debug deb-check:
	$(Q)$(CURDIR)/scripts/setup.sh
	$(Q)$(MAKE) KAME_SETUP_DONE=1 $@
else

.PHONY: all modules tools check demo bench bench-module test-modules fuzz check-debug deb-check selftests
all: modules tools

modules:
	$(Q)test -d "$(KDIR)" || { echo "Error: no kernel build tree at '$(KDIR)'" >&2; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools:
	$(Q)$(MAKE) -C tools

selftests: tools
	$(Q)$(CURDIR)/scripts/kernel-files.sh $(BUILD)
	$(Q)$(MAKE) -C selftests KSFT_DIR=$(BUILD)/kselftest

check: all selftests test-modules
	$(Q)$(CURDIR)/scripts/vm-run.sh check $(KVER) "$(T)"

# the test modules of make check (selftests/kmod/), against kame.ko's symbols
test-modules: modules
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/kmod \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

# A million packets take about an hour under emulation: the fuzzer's
# budget and the limits of the test and of the VM follow FUZZ_N.
FUZZ_MAX_SECS = $(shell echo $$(( $(or $(FUZZ_N),1000000) / 100 + 600 )))
fuzz: all selftests test-modules
	$(Q)FUZZ_N=$(or $(FUZZ_N),1000000) FUZZ_SEED=$(FUZZ_SEED) \
		FUZZ_BUDGET=$(FUZZ_MAX_SECS) DIFF_N=$(or $(DIFF_N),20000) \
		KAME_TEST_TIMEOUT=$$(( $(FUZZ_MAX_SECS) + 300 )) \
		KAME_VM_TIMEOUT=$$(( $(FUZZ_MAX_SECS) + 900 )) \
		$(CURDIR)/scripts/vm-run.sh check $(KVER) fuzz/

check-debug: tools selftests
	$(Q)$(CURDIR)/scripts/check-debug.sh "$(T)"

# the Debian packages installed in a VM: DKMS build, modprobe, the tools
# (gcc under emulation: the in-guest DKMS build is slow, 30+ minutes seen)
deb-check:
	$(Q)KAME_VM_TIMEOUT=$${KAME_VM_TIMEOUT:-5400} $(CURDIR)/scripts/deb-check.sh $(KVER)

# the demo runs kame-udp, built with the selftests' helpers
demo: all selftests
	$(Q)$(CURDIR)/scripts/vm-run.sh demo $(KVER)

# the route lookup helper module of the bench, against kame.ko's symbols
bench-module: modules
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/bench \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

bench: all selftests bench-module
	$(Q)KAME_BENCH_PROFILE=$(PROFILE) $(CURDIR)/scripts/vm-run.sh bench $(KVER)

endif

.PHONY: install modules_install tools_install clean style deb
install: modules_install tools_install

# Debian packages kame-dkms and kame-tools into build/deb/ (lintian too)
deb:
	$(Q)$(CURDIR)/scripts/deb.sh

modules_install:
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra modules_install
	$(Q)if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $(KVER); fi

tools_install:
	$(Q)$(MAKE) -C tools install DESTDIR=$(DESTDIR) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)

style:
	$(Q)$(CURDIR)/scripts/style.sh

clean:
	$(Q)if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/bench clean; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/kmod clean; fi
	$(Q)$(MAKE) -C tools clean
	$(Q)$(MAKE) -C selftests clean
	$(Q)rm -rf $(BUILD)
