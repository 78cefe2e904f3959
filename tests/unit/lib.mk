# lib tests
