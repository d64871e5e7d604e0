// Compiled into every module: core/module_loader.cpp refuses a module whose interface
// stamp differs from the binary's.
extern "C" const char* sfmc_module_abi() { return SFMC_MODULE_ABI; }
