SELECT 'unterminated /* and ` and " -- 
# x