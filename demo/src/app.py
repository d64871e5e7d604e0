import os

def client():
    # No secret in here: it comes from the environment.
    return os.environ["SFMC_CLIENT_SECRET"]
